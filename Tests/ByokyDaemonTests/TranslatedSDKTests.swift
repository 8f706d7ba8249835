import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import Testing

/// The official Python SDKs referee translation: an app written for one family, routed by its
/// owner to a provider of another, parses the translated answer and accumulates the translated
/// stream (text, tool name and arguments, stop reason, usage) exactly as if it were talking to
/// its own provider. Every one of the 12 directed pairs, plain and streaming, with and without tools.
@Suite(.serialized, .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct TranslatedSDKTests {
    struct Pair: Sendable, CustomStringConvertible {
        let app: APIFamily
        let upstream: APIFamily
        let streaming: Bool
        let tools: Bool

        var description: String {
            "\(app.rawValue) app → \(upstream.rawValue) \(streaming ? "stream" : "plain")\(tools ? " tools" : "")"
        }
    }

    static let pairs: [Pair] = APIFamily.allCases.flatMap { app in
        APIFamily.allCases.filter { $0 != app }.flatMap { upstream in
            [false, true].flatMap { streaming in
                [false, true].map { Pair(app: app, upstream: upstream, streaming: streaming, tools: $0) }
            }
        }
    }

    /// What each family's SDK reports as the stop reason for a finished text answer and for tool calls.
    static func expectedStop(_ family: APIFamily, tools: Bool) -> String {
        switch family {
        case .anthropic: tools ? "tool_use" : "end_turn"
        case .openai: tools ? "tool_calls" : "stop"
        case .gemini: "STOP"
        case .cohere: tools ? "TOOL_CALL" : "COMPLETE"
        }
    }

    @Test(.timeLimit(.minutes(10)), arguments: pairs)
    func officialSDKUnderstandsTheTranslatedAnswer(pair: Pair) async throws {
        try await BridgeFixture.with { bridge in
            let upstream = try #require(ProviderRegistry.provider(ProviderID(pair.upstream.rawValue)))
            try await bridge.wallet.addGroup(
                name: "moved",
                provider: upstream.id,
                model: ModelCatalog.defaultModel(for: pair.upstream)
            )
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "moved")
            let root = "http://127.0.0.1:\(bridge.port)/\(pair.app.rawValue)"
            let result = try await SDKClient.run(
                SDKClient.Case(family: pair.app, streaming: pair.streaming, tools: pair.tools),
                baseURL: SDKClient.baseURL(root: root, family: pair.app),
                apiKey: bridge.sessionKey
            )
            #expect(result["error_status"] == nil, "\(result)")
            if pair.tools {
                #expect(result["tool_name"] as? String == "get_weather", "\(result)")
                #expect((result["tool_args"] as? [String: Any])?["city"] as? String == "mock", "\(result)")
            } else {
                #expect(result["text"] as? String == SDKClient.mockReplyToHelloThere, "\(result)")
            }
            #expect(result["stop_reason"] as? String == Self.expectedStop(pair.app, tools: pair.tools), "\(result)")
            #expect(result["output_tokens"] as? Int == (pair.tools ? 10 : 12), "\(result)")
            #expect((result["input_tokens"] as? Int ?? 0) > 0, "\(result)")

            let log = try await bridge.wallet.store.requestLog()
            #expect(
                log.count == SDKClient.Case(family: pair.app, streaming: pair.streaming, tools: pair.tools).requestCount
            )
            #expect(log.allSatisfy { $0.provider == pair.app.rawValue })
            #expect(log.allSatisfy { $0.actualProvider == upstream.id.rawValue })
            #expect(log.allSatisfy { $0.status == 200 })
            #expect(log.allSatisfy { $0.outputTokens == (pair.tools ? 10 : 12) })
            #expect(log.allSatisfy { $0.errorCode == nil })
        }
    }
}
