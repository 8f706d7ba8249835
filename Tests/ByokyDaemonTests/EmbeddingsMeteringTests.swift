import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import Testing

/// Embeddings through the bridge with the official OpenAI SDK, for an app under a small cap:
/// metered from the answer's usage, which counts the input alone (`prompt_tokens` equal to
/// `total_tokens`, no `completion_tokens`), with nothing held for an output embeddings never have.
///
/// Before, that usage was read as none, so every call was charged its whole hold (a token for
/// four bytes plus a whole answer's output, 4,096 tokens), and the hold alone was more than a
/// 1,000-token cap allows: the app could not embed anything.
@Suite(.serialized, .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct EmbeddingsMeteringTests {
    @Test(.timeLimit(.minutes(3)))
    func embeddingsAreMeteredByTheirInputAndHoldNoOutput() async throws {
        try await BridgeFixture.with(grant: [.openai]) { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 1_000, period: .lifetime)
            var counted = 0
            for round in 0..<3 {
                let result = try await SDKClient.embeddings(
                    baseURL: "http://127.0.0.1:\(bridge.port)/openai/v1",
                    apiKey: bridge.sessionKey,
                    model: "text-embedding-3-small",
                    prompt: "A sentence to turn into a vector, round \(round)"
                )
                #expect(result["error_status"] == nil, "\(result)")
                #expect(result["count"] as? Int == 2 && result["dimensions"] as? Int == 8, "\(result)")
                let input = try #require(result["input_tokens"] as? Int, "\(result)")
                #expect(input > 0)
                counted += input
            }
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.count == 3 && log.allSatisfy { $0.status == 200 && $0.path == "/v1/embeddings" })
            #expect(log.allSatisfy { $0.outputTokens == 0 }, "\(log.map(\.outputTokens))")
            #expect(log.compactMap(\.inputTokens).reduce(0, +) == counted, "\(log.map(\.inputTokens))")
            #expect(try await bridge.wallet.allowanceStatuses().first?.used == counted)
        }
    }
}
