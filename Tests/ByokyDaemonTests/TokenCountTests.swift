import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import Testing

/// Apps count tokens before they chat (coding agents do, to manage their context): the official
/// Anthropic and Gemini SDKs count through the bridge, on a direct route (the provider counts),
/// on a route to the other family that counts (the target counts the translated request, and the
/// app gets the count in its format), and on a route to a family that cannot count (the wallet
/// estimates, with nothing sent upstream). Before, a translated app's count was refused as an
/// endpoint that cannot be translated; then it was always the wallet's estimate, which is far off
/// for images and documents (their bytes, not their tokens).
@Suite(.serialized, .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct TokenCountTests {
    static let prompt = "How many tokens is this sentence, more or less?"

    static func count(_ family: APIFamily, bridge: BridgeFixture) async throws -> [String: Any] {
        try await SDKClient.countTokens(
            family: family,
            baseURL: SDKClient.baseURL(root: "http://127.0.0.1:\(bridge.port)/\(family.rawValue)", family: family),
            apiKey: bridge.sessionKey,
            model: ModelCatalog.defaultModel(for: family),
            prompt: prompt
        )
    }

    @Test(.timeLimit(.minutes(3)), arguments: [APIFamily.anthropic, .gemini])
    func theProviderCountsOnADirectRoute(family: APIFamily) async throws {
        try await BridgeFixture.with(grant: [ProviderID(family.rawValue)]) { bridge in
            let result = try await Self.count(family, bridge: bridge)
            #expect(result["error_status"] == nil, "\(result)")
            #expect((result["input_tokens"] as? Int ?? 0) > 0, "\(result)")
            let paths = bridge.upstreamRequests.withLock { $0.map(\.path) }
            #expect(
                paths.count == 1 && paths[0].hasSuffix(family == .gemini ? ":countTokens" : "/count_tokens"),
                "\(paths)"
            )
        }
    }

    @Test(
        .timeLimit(.minutes(3)),
        arguments: [APIFamily.anthropic, .gemini].flatMap { app in
            APIFamily.allCases.filter { $0 != app }.map { (app, $0) }
        }
    )
    func aTranslatedAppsCountIsTheTargetsOrTheWallets(app: APIFamily, upstream: APIFamily) async throws {
        try await BridgeFixture.with(grant: [ProviderID(app.rawValue)]) { bridge in
            let target = ProviderID(upstream.rawValue)
            try await bridge.wallet.addGroup(
                name: "moved",
                provider: target,
                model: ModelCatalog.defaultModel(for: upstream)
            )
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "moved")
            let result = try await Self.count(app, bridge: bridge)
            #expect(result["error_status"] == nil, "\(result)")
            let tokens = try #require(result["input_tokens"] as? Int, "\(result)")
            let sent = bridge.upstreamRequests.withLock { $0 }
            if upstream == .anthropic || upstream == .gemini {
                // The target counted the translated request at its count endpoint (the mock
                // counts a token for four bytes of what it got, and refuses what its API refuses).
                #expect(sent.count == 1, "\(sent.map(\.path))")
                let countPath = upstream == .gemini ? ":countTokens" : "/v1/messages/count_tokens"
                #expect(sent.first?.path.hasSuffix(countPath) == true, "\(sent.map(\.path))")
                let length = try #require(sent.first?.contentLength)
                #expect(tokens == max(1, length / 4), "\(tokens) for \(length) bytes")
            } else {
                // The wallet's estimate of the SDK's request: at least the prompt's, at most the
                // whole request's (model, role and framing included) a token for four bytes.
                #expect(tokens >= Self.prompt.utf8.count / 4 && tokens < 200, "\(tokens)")
                #expect(sent.isEmpty, "a count went to a provider that cannot count")
            }
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.count == 1 && log[0].status == 200 && log[0].actualProvider == target.rawValue)
            // A count spends nothing: no tokens are logged against the app's caps.
            #expect((log.first?.inputTokens ?? 0) == 0 && (log.first?.outputTokens ?? 0) == 0, "\(log)")
        }
    }
}
