import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The wallet adds `stream_options.include_usage` to meter OpenAI-family streams; the usage-only
/// chunk that this brings (`choices: []`) reaches an app only when the app asked for it, on every
/// OpenAI-compatible provider, when routed by a group, and when translated.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StreamUsageChunkTests {
    static let openAICompatible: [ProviderID] = ProviderRegistry.all.filter { $0.family == .openai }.map(\.id)

    /// The path an OpenAI-style SDK of `provider` calls on the bridge.
    static func chatPath(for provider: ProviderID) -> String {
        provider == .azureOpenAI
            ? "/openai/deployments/gpt/chat/completions?api-version=2024-10-21"
            : ProviderRegistry.provider(provider)?.chatPath ?? "/v1/chat/completions"
    }

    static func body(askingForUsage: Bool) -> String {
        let options = askingForUsage ? #","stream_options":{"include_usage":true}"# : ""
        return #"{"model":"m-1","stream":true,"messages":[{"role":"user","content":"Hi"}]\#(options)}"#
    }

    /// The `data:` payloads of an event stream, in order.
    static func dataPayloads(_ body: [UInt8]) throws -> [String] {
        var decoder = SSEDecoder()
        return try decoder.feed(body).map { String(decoding: $0.data, as: UTF8.self) }
    }

    static func isUsageOnly(_ payload: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else {
            return false
        }
        return (object["choices"] as? [Any])?.isEmpty == true && object["usage"] is [String: Any]
    }

    /// Streams once without asking for usage (no usage-only chunk may arrive) and once asking
    /// (it must be the last before `[DONE]`); returns both streams' payloads.
    static func streamTwice(
        _ bridge: BridgeFixture,
        path: String,
        auth: (String, String)
    ) async throws -> (plain: [String], withUsage: [String]) {
        let unasked = try await bridge.send(.POST, path, body: body(askingForUsage: false), headers: [auth])
        #expect(unasked.status == 200, "\(unasked.text)")
        let plain = try dataPayloads(unasked.body)
        #expect(!plain.contains(where: isUsageOnly), "\(plain.suffix(3))")
        #expect(plain.last == "[DONE]")
        let asked = try await bridge.send(.POST, path, body: body(askingForUsage: true), headers: [auth])
        let withUsage = try dataPayloads(asked.body)
        #expect(withUsage.dropLast().last.map(isUsageOnly) == true, "\(withUsage.suffix(2))")
        return (plain, withUsage)
    }

    @Test(arguments: openAICompatible)
    func theUsageChunkReachesOnlyAppsThatAskedForIt(provider: ProviderID) async throws {
        try await BridgeFixture.with(grant: [provider]) { bridge in
            if ![.openai].contains(provider) {
                try await bridge.wallet.addCredential(
                    provider: provider,
                    secret: SecretString(BridgeFixture.canary),
                    baseURL: "http://127.0.0.1:\(bridge.mockPort)"
                )
            }
            let path = "/\(provider.rawValue)" + Self.chatPath(for: provider)
            let auth = bridge.authHeader(for: provider)

            let (plain, withUsage) = try await Self.streamTwice(bridge, path: path, auth: auth)
            #expect(plain.dropLast().last?.contains(#""finish_reason":"stop""#) == true)
            #expect(withUsage.count == plain.count + 1)

            // Metered either way where the wallet asks for usage: the dropped chunk was counted first.
            if StreamUsageOptions.providers.contains(provider) {
                let log = try await bridge.wallet.store.requestLog()
                #expect(log.count == 2)
                #expect(log.allSatisfy { $0.outputTokens == 12 }, "\(log.map(\.outputTokens))")
            }
        }
    }

    enum Route: String, CaseIterable, Sendable { case sameFamilyGroup, translated }

    @Test(arguments: Route.allCases)
    func routedAppsGetNoUnaskedUsageChunk(route: Route) async throws {
        try await BridgeFixture.with(grant: [.groq, .openai]) { bridge in
            switch route {
            case .sameFamilyGroup:
                // A Groq app moved to OpenAI: the wallet asks OpenAI for usage; the app did not.
                try await bridge.wallet.addGroup(name: "gpt", provider: .openai, model: "gpt-5.4-mini")
            case .translated:
                try await bridge.wallet.addGroup(name: "claude", provider: .anthropic, model: "claude-sonnet-4-6")
            }
            try await bridge.wallet.assign(app: "Bridge test", toGroup: route == .translated ? "claude" : "gpt")
            let (provider, path): (ProviderID, String) =
                route == .translated
                ? (.openai, "/openai/v1/chat/completions") : (.groq, "/groq/openai/v1/chat/completions")
            _ = try await Self.streamTwice(bridge, path: path, auth: bridge.authHeader(for: provider))
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.allSatisfy { $0.outputTokens == 12 }, "\(log.map(\.outputTokens))")
        }
    }

    /// An app of another family routed to OpenAI: the translated request asks for usage itself
    /// (the wallet adds nothing to it), so the stream is metered and the app's own stream ends
    /// with the counts.
    @Test func aStreamTranslatedIntoOpenAIIsMetered() async throws {
        try await BridgeFixture.with(grant: [.anthropic, .openai]) { bridge in
            try await bridge.wallet.addGroup(name: "gpt", provider: .openai, model: "gpt-5.4-mini")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "gpt")
            let body =
                #"{"model":"claude-sonnet-4-6","max_tokens":64,"stream":true,"#
                + #""messages":[{"role":"user","content":"Hi"}]}"#
            for _ in 0..<2 {
                let answer = try await bridge.send(
                    .POST,
                    "/anthropic/v1/messages",
                    body: body,
                    headers: [bridge.authHeader(for: .anthropic), ("anthropic-version", "2023-06-01")]
                )
                #expect(answer.status == 200, "\(answer.text)")
                let payloads = try Self.dataPayloads(answer.body)
                let delta = payloads.last { $0.contains(#""type":"message_delta""#) }
                #expect(delta?.contains(#""output_tokens":12"#) == true, "\(payloads.suffix(2))")
            }
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.count == 2)
            #expect(log.allSatisfy { $0.actualProvider == "openai" })
            #expect(log.allSatisfy { $0.outputTokens == 12 }, "\(log.map(\.outputTokens))")
        }
    }

    /// Through a received gift the giver's wallet adds the option; the receiver's app still sees
    /// no usage chunk, and the giver still counts the tokens.
    @Test func aGiftsOpenAIStreamHasNoUnaskedUsageChunk() async throws {
        try await GiftFixture.with(provider: .openai) { fixture in
            let response = await fixture.receiverCall(
                .openai,
                "/v1/chat/completions",
                body: Self.body(askingForUsage: false)
            )
            #expect(response.status == 200)
            let payloads = try Self.dataPayloads(
                Array(try await response.body.collect(upTo: 1_048_576).readableBytesView)
            )
            #expect(!payloads.contains(where: Self.isUsageOnly), "\(payloads.suffix(3))")
            #expect(payloads.last == "[DONE]")
            var used = 0
            for _ in 0..<200 where used == 0 {
                used = try await fixture.giverUsed()
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(used > 12, "the giver metered the stream from the chunk it dropped")
        }
    }
}
