import ByokyCore
import Crypto
import FuzzSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer targets for the wallet's parsers of outside input, one per `BYOKY_FUZZ_TARGET`:
///
/// - `sse`: the SSE decoder, fed the input whole and cut in two; both must give the same events.
/// - `json`: JSONNode; what parses must write and parse back to the same value.
/// - `relay`: relay frames (`relay:*` messages); what parses must encode and parse back.
/// - `links`: gift links, gift short links and pairing codes.
/// - `backup`: the `.byoky` document parser (after decryption) and the sealed-value decoder.
/// - `url`: AbsoluteURL and the provider URL policy on arbitrary text.
/// - `media`: the image header reader behind a budget's hold (``InlineMedia``), on the input as an
///   image file sent as base64 and as base64 text itself; the audio length reader
///   (``AudioDuration``: WAV, MP3, Opus in Ogg and WebM) on the input as an audio file.
///
/// Any crash, hang, runaway allocation or failed check is a finding.
enum Target: String {
    case sse, json, relay, links, backup, url, media

    static let current: Target = {
        guard let name = getenv("BYOKY_FUZZ_TARGET").map({ String(cString: $0) }), let target = Target(rawValue: name)
        else { fatalError("set BYOKY_FUZZ_TARGET to sse, json, relay, links, backup, url or media") }
        return target
    }()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func parsersFuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    switch Target.current {
    case .sse: fuzzSSE(bytes)
    case .json: fuzzJSON(bytes)
    case .relay: fuzzRelay(bytes)
    case .links: fuzzLinks(bytes)
    case .backup: fuzzBackup(bytes)
    case .url: fuzzURL(bytes)
    case .media: fuzzMedia(bytes)
    }
    return 0
}

func fuzzSSE(_ bytes: [UInt8]) {
    var whole = SSEDecoder(maximumEventSize: 4096)
    let expected = try? whole.feed(bytes)
    let cut = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    var split = SSEDecoder(maximumEventSize: 4096)
    let first = try? split.feed(Array(bytes[..<cut]))
    let second = try? split.feed(Array(bytes[cut...]))
    if let expected, let first, let second {
        precondition(first + second == expected, "SSE events depend on where the input is cut")
    }
}

func fuzzJSON(_ bytes: [UInt8]) {
    guard let node = try? JSONNode.parse(bytes) else { return }
    let written = node.jsonString
    guard let again = try? JSONNode.parse(written) else { preconditionFailure("written JSON does not parse") }
    precondition(again == node, "JSON does not survive a write and parse")
}

func fuzzRelay(_ bytes: [UInt8]) {
    guard let message = try? RelayMessage.parse(bytes, maximumSize: 65_536) else { return }
    guard let again = try? RelayMessage.parse(message.encoded(), maximumSize: 1_048_576) else {
        preconditionFailure("an encoded relay frame does not parse")
    }
    precondition(again == message, "relay frames do not survive encode and parse")
}

func fuzzLinks(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let link = GiftLink.decode(text) {
        _ = link.validate(nowMilliseconds: 0)
        precondition(GiftLink.decode(link.encoded()) == link, "an encoded gift link does not decode the same")
    }
    if let id = GiftShortLink.extractID(from: text) { precondition(GiftShortLink.isValidID(id)) }
    if let payload = PairingPayload.decode(text) {
        precondition(PairingPayload.decode(payload.encoded()) == payload, "a pairing code does not decode the same")
    }
}

func fuzzBackup(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    // Sealed values are base64 here; the fuzzer reaches every branch of the document reader.
    _ = try? ByokyBackupFile.backup(fromJSON: text) { value in
        guard let decoded = Base64.decode(value) else { throw ByokyError(.decryptFailed, "not base64") }
        return SecretString(String(decoding: decoded, as: UTF8.self))
    }
    _ = try? ExtensionCrypto.decrypt(text, key: fixedKey)
}

let fixedKey = SymmetricKey(data: [UInt8](repeating: 7, count: 32))

func fuzzURL(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    if let url = AbsoluteURL(text) {
        // The description drops a default port and the fragment; parsed again it must stay the same.
        precondition(AbsoluteURL(url.description)?.description == url.description, "a URL does not parse back")
        precondition(PathSegmentPolicy.isSafe(Array(url.path.utf8)))
    }
    for provider in [ProviderID.anthropic, .openai, .ollama] {
        _ = try? ProviderURLPolicy.validate(text, provider: provider, credentialBaseURL: "http://127.0.0.1:9")
    }
    _ = ProviderURLPolicy.isAllowedRelayURL(text)
}

func fuzzMedia(_ bytes: [UInt8]) {
    let encoded = Base64.encode(bytes)
    let image = InlineMedia(base64: encoded)
    // The same file in the URL-safe alphabet, or with line breaks, reads the same.
    let urlSafe = InlineMedia(base64: Base64.encodeURLSafe(bytes))
    precondition(urlSafe.kind == image.kind, "an image reads differently in the URL-safe alphabet")
    var wrapped = ""
    for (index, character) in encoded.enumerated() {
        if index > 0, index % 76 == 0 { wrapped += "\n" }
        wrapped.append(character)
    }
    precondition(InlineMedia(base64: wrapped).kind == image.kind, "an image reads differently across lines")
    // An image sent inline is bounded wherever it is served, and in range.
    let pricings: [ImagePricing] = [
        .openAI(model: nil), .openAI(model: "gpt-4o-mini"), .anthropic, .gemini(model: nil),
        .gemini(model: "gemini-3-flash"), .any(model: nil),
    ]
    for pricing in pricings {
        let tokens = image.worstCaseTokens(pricedBy: pricing) ?? 0
        precondition(tokens > 0 && tokens <= TokenUsage.largestCount, "an image's bound is out of range")
    }
    // The same bytes as an audio file: a length read is a positive number of seconds.
    if let seconds = AudioDuration.seconds(of: bytes) {
        precondition(seconds.isFinite && seconds > 0, "an audio file's length is out of range")
    }
    // Any text as base64: images and audio never fail to give a bound.
    let text = String(decoding: bytes, as: UTF8.self)
    precondition((InlineMedia(base64: text).worstCaseTokens(pricedBy: .gemini(model: nil)) ?? 0) > 0)
    precondition((InlineMedia(base64: text, isAudio: true).worstCaseTokens(pricedBy: .anthropic) ?? 0) > 0)
}

/// The entry point SwiftPM links for this executable: libFuzzer's driver (FuzzSupport).
@_cdecl("ParsersFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = Target.current
    return runFuzzer(argc, argv) { start, count in parsersFuzz(start, count) }
}
