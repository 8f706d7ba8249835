import ByokyCore
import Foundation
import Testing

struct GiftLinkTests {
    static let now: Int64 = 1_764_000_000_000

    static func sample() -> GiftLink {
        GiftLink(
            giftID: "0d9f5c1e-4a4b-4d1e-9a43-3f2b9c1d2e3f",
            provider: .anthropic,
            senderLabel: "Ana 🎁",
            authToken: "gft_0123456789abcdef0123456789abcdef",
            maxTokens: 50_000,
            expiresAt: now + 86_400_000,
            relayURL: "wss://relay.byoky.com"
        )
    }

    @Test func encodesWithTheOriginalKeyOrderAndRoundTrips() throws {
        let link = Self.sample()
        let encoded = link.encoded()
        #expect(encoded.allSatisfy { $0.isLetter && $0.isASCII || $0.isNumber || $0 == "-" || $0 == "_" })
        let json = String(decoding: try #require(Base64.decodeURLSafe(encoded)), as: UTF8.self)
        let keys = ["\"v\"", "\"id\"", "\"p\"", "\"n\"", "\"s\"", "\"t\"", "\"m\"", "\"e\"", "\"r\""]
        let positions = keys.compactMap { json.range(of: $0)?.lowerBound }
        #expect(positions.count == keys.count)
        #expect(positions == positions.sorted())
        #expect(json.contains(#""n":"Anthropic""#))
        #expect(json.contains(#""m":50000"#))
        #expect(GiftLink.decode(encoded) == link)
    }

    @Test func usesTheRegistryNameOrTheIDForUnknownProviders() {
        #expect(
            GiftLink(
                giftID: "g",
                provider: .openai,
                senderLabel: "s",
                authToken: "t",
                maxTokens: 1,
                expiresAt: 1,
                relayURL: "wss://r"
            ).providerName == "OpenAI"
        )
        #expect(
            GiftLink(
                giftID: "g",
                provider: "acme",
                senderLabel: "s",
                authToken: "t",
                maxTokens: 1,
                expiresAt: 1,
                relayURL: "wss://r"
            ).providerName == "acme"
        )
    }

    @Test(arguments: ["byoky://gift/", "https://byoky.com/gift#", "https://byoky.com/gift/", ""])
    func decodesEveryAcceptedURLForm(prefix: String) {
        let link = Self.sample()
        #expect(GiftLink.decode(prefix + link.encoded()) == link)
    }

    @Test func urlUsesTheCurrentForm() {
        let link = Self.sample()
        #expect(link.url() == "https://byoky.com/gift/" + link.encoded())
        #expect(GiftLink.decode(link.url()) == link)
    }

    @Test func decodingToleratesPaddingStandardAlphabetAndKeyOrder() throws {
        let json = #"{"r":"wss://x","e":99,"m":5,"t":"tok?>","s":"s","n":"N","p":"openai","id":"i","v":1}"#
        let standard = Base64.encode(Array(json.utf8))
        let link = try #require(GiftLink.decode(standard))
        #expect(link.authToken == "tok?>")
        #expect(link.provider == "openai")
    }

    @Test(arguments: [
        "", "!!!!", Base64.encodeURLSafe(Array("not json".utf8)),
        Base64.encodeURLSafe(Array(#"{"v":3,"id":"x"}"#.utf8)),
        Base64.encodeURLSafe(Array(#"{"id":"x"}"#.utf8)), Base64.encodeURLSafe(Array("[1]".utf8)),
        String(repeating: "A", count: 8193),
    ])
    func rejectsMalformedInput(input: String) {
        #expect(GiftLink.decode(input) == nil)
    }

    @Test func decodesPartialV1LinksSoValidationCanExplain() throws {
        let link = try #require(GiftLink.decode(Base64.encodeURLSafe(Array(#"{"v":1,"id":"x"}"#.utf8))))
        #expect(link.validate(nowMilliseconds: Self.now) == .invalid(reason: "Missing provider"))
    }

    @Test func validatesInTheOriginalOrderWithItsMessages() {
        let valid = Self.sample()
        #expect(valid.validate(nowMilliseconds: Self.now) == .valid)
        func reason(_ change: (inout GiftLink) -> Void) -> String? {
            var link = valid
            change(&link)
            if case .invalid(let reason) = link.validate(nowMilliseconds: Self.now) { return reason }
            return nil
        }
        #expect(reason { $0.version = 3 } == "Unsupported gift version")
        #expect(reason { $0.version = 2 } == "Missing relay room")
        #expect(
            reason {
                $0.version = 2
                $0.roomID = "v2_abc"
            } == "Missing or invalid giver key"
        )
        #expect(reason { $0.giftID = "" } == "Missing gift ID")
        #expect(reason { $0.provider = nil } == "Missing provider")
        #expect(reason { $0.authToken = nil } == "Missing auth token")
        #expect(reason { $0.relayURL = nil } == "Missing relay URL")
        #expect(reason { $0.maxTokens = 0 } == "Invalid token budget")
        #expect(reason { $0.maxTokens = -5 } == "Invalid token budget")
        #expect(reason { $0.expiresAt = Double(Self.now) } == "Gift has expired")
        #expect(reason { $0.relayURL = "not a url" } == "Invalid relay URL")
        #expect(reason { $0.relayURL = "http://relay.byoky.com" } == "Relay URL must use wss://")
        #expect(reason { $0.relayURL = "https://relay.byoky.com" } == "Relay URL must use wss://")
        #expect(reason { $0.relayURL = "ws://relay.byoky.com" } == "Relay URL must use wss://")
        #expect(reason { $0.relayURL = "ws://localhost:8787" } == nil)
        #expect(reason { $0.relayURL = "ws://[::1]:8787" } == nil)
        #expect(reason { $0.relayURL = "ws://127.0.0.1.evil.com" } == "Relay URL must use wss://")
        #expect(reason { $0.provider = "acme" } == nil)
        var unknown = valid
        unknown.provider = "acme"
        #expect(
            unknown.validate(nowMilliseconds: Self.now, requireKnownProvider: true)
                == .invalid(reason: "Unknown provider")
        )
    }

    @Test func budgetArithmetic() {
        #expect(GiftBudget.isExpired(expiresAt: 10, now: 10))
        #expect(!GiftBudget.isExpired(expiresAt: 11, now: 10))
        #expect(GiftBudget.isExhausted(used: 5, max: 5))
        #expect(GiftBudget.isExhausted(used: 6, max: 5))
        #expect(!GiftBudget.isExhausted(used: 4, max: 5))
        #expect(GiftBudget.remaining(used: 3000, max: 10_000) == 7000)
        #expect(GiftBudget.remaining(used: 12_000, max: 10_000) == 0)
        #expect(GiftBudget.remaining(used: 0, max: 10_000) == 10_000)
        #expect(GiftBudget.percentUsed(used: 0, max: 10) == 0)
        #expect(GiftBudget.percentUsed(used: 5, max: 10) == 50)
        #expect(GiftBudget.percentUsed(used: 10, max: 10) == 100)
        #expect(GiftBudget.percentUsed(used: 20, max: 10) == 100)
        #expect(GiftBudget.percentUsed(used: 0, max: 0) == 100)
        #expect(GiftBudget.percentUsed(used: 1, max: 3) == 33)
    }
}

struct GiftShortLinkTests {
    @Test func buildsWebAndDeepForms() {
        #expect(GiftShortLink.webURL(for: "AbCd1234") == "https://byoky.com/g/AbCd1234")
        #expect(GiftShortLink.deepLink(for: "AbCd1234") == "byoky://g/AbCd1234")
    }

    @Test(arguments: [
        ("https://byoky.com/g/AbCd1234", "AbCd1234"), ("http://other.host/g/AbCd1234/", "AbCd1234"),
        ("byoky://g/AbCd1234", "AbCd1234"), ("  AbCd1234xyz \n", "AbCd1234xyz"), ("AbCd1234", "AbCd1234"),
    ])
    func extractsIDs(input: String, id: String) {
        #expect(GiftShortLink.extractID(from: input) == id)
    }

    @Test(arguments: [
        "https://byoky.com/gift/AbCd1234", "abc", String(repeating: "a", count: 33), "AbCd-1234",
        "https://byoky.com/g/AbCd1234?x=1", "ftp://byoky.com/g/AbCd1234", "https://byoky.com/g/",
    ])
    func rejectsOtherInput(input: String) {
        #expect(GiftShortLink.extractID(from: input) == nil)
    }

    @Test func shortURLsAreURLsNotBareIDs() {
        #expect(GiftShortLink.isShortURL("https://byoky.com/g/AbCd1234"))
        #expect(GiftShortLink.isShortURL("byoky://g/AbCd1234"))
        #expect(!GiftShortLink.isShortURL("AbCd1234"))
        #expect(!GiftShortLink.isShortURL("https://byoky.com/gift/AbCd1234"))
    }

    @Test func resolutionURLStripsTrailingSlashes() {
        #expect(
            GiftShortLink.resolutionURL(vaultBase: "https://vault.byoky.com//", id: "AbCd1234")
                == "https://vault.byoky.com/gift-links/AbCd1234"
        )
    }
}

struct PairingPayloadTests {
    @Test func generatedPayloadsRoundTripThroughEveryPrefix() throws {
        let payload = PairingPayload.generate(relayURL: "wss://relay.byoky.com", appOrigin: "https://app.example")
        #expect(payload.authToken.count == 64)
        #expect(payload.roomID.count == 36)
        for prefix in [""] + PairingPayload.acceptedPrefixes {
            #expect(PairingPayload.decode(prefix + payload.encoded()) == payload)
        }
        let json = String(decoding: try #require(Base64.decodeURLSafe(payload.encoded())), as: UTF8.self)
        for key in ["\"v\":2", "\"r\":", "\"id\":", "\"t\":", "\"o\":", "\"k\":"] { #expect(json.contains(key)) }
        #expect(payload.presharedKeyBytes?.count == 32)
        // The original's version 1 codes still decode (no key: the pairing is not sealed).
        let v1 = PairingPayload(relayURL: "wss://r", roomID: "i", authToken: "t", appOrigin: "o")
        #expect(v1.version == 1)
        #expect(PairingPayload.decode(v1.encoded()) == v1)
        // The default cipher is not named, so wallets that predate `a` still read the codes.
        #expect(!json.contains("\"a\":"))
    }

    @Test func aCodeNamesTheCipherItsAppAsksFor() throws {
        let payload = PairingPayload.generate(relayURL: "wss://r", appOrigin: "https://app.example", aead: .aes256GCM)
        let json = String(decoding: try #require(Base64.decodeURLSafe(payload.encoded())), as: UTF8.self)
        #expect(json.contains(#""a":"aes-256-gcm""#))
        #expect(PairingPayload.decode(payload.encoded())?.aead == .aes256GCM)
        let key = try #require(payload.presharedKey)
        // A cipher this wallet does not have, or one named by a version 1 code, is refused.
        for json in [
            #"{"v":2,"r":"wss://r","id":"i","t":"t","o":"o","k":"\#(key)","a":"rot13"}"#,
            #"{"v":1,"r":"wss://r","id":"i","t":"t","o":"o","a":"aes-256-gcm"}"#,
        ] {
            #expect(PairingPayload.decode(Base64.encodeURLSafe(Array(json.utf8))) == nil)
        }
        let named = #"{"v":2,"r":"wss://r","id":"i","t":"t","o":"o","k":"\#(key)","a":"chacha20-poly1305"}"#
        #expect(PairingPayload.decode(Base64.encodeURLSafe(Array(named.utf8)))?.aead == .chaCha20Poly1305)
    }

    @Test func rejectsOtherVersionsOversizeAndGarbage() {
        // Version 2 without a 32-byte key, and unknown versions, are refused.
        let keyless = Base64.encodeURLSafe(Array(#"{"v":2,"r":"wss://r","id":"i","t":"t","o":"o"}"#.utf8))
        #expect(PairingPayload.decode(keyless) == nil)
        let shortKey = Base64.encodeURLSafe(Array(#"{"v":2,"r":"wss://r","id":"i","t":"t","o":"o","k":"AAAA"}"#.utf8))
        #expect(PairingPayload.decode(shortKey) == nil)
        let v3 = Base64.encodeURLSafe(Array(#"{"v":3,"r":"wss://r","id":"i","t":"t","o":"o"}"#.utf8))
        #expect(PairingPayload.decode(v3) == nil)
        #expect(PairingPayload.decode(String(repeating: "A", count: 2049)) == nil)
        #expect(PairingPayload.decode("%%") == nil)
        #expect(PairingPayload.decode(Base64.encodeURLSafe(Array(#"{"v":1}"#.utf8))) == nil)
    }
}

struct EncodingTests {
    @Test func base64URLSafeRoundTripsEveryLength() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 251) }
            let encoded = Base64.encodeURLSafe(bytes)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64.decodeURLSafe(encoded) == bytes)
        }
        #expect(Base64.decodeURLSafe("A") == nil)
    }
}
