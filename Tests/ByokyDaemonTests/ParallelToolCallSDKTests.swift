import ByokyCore
import ByokyTesting
import ByokyWallet
import Testing

/// An OpenAI upstream that makes three parallel tool calls, one after another or interleaved by
/// `index`, answers Anthropic and Cohere apps whose official SDKs see three calls, in order, each
/// with its own id and arguments (the Anthropic SDK's stream accumulator and Cohere's typed events
/// are the referees).
@Suite(.serialized, .timeLimit(.minutes(5)), .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct ParallelToolCallSDKTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let app: APIFamily
        let upstreamModel: String
        let streaming: Bool
        var testDescription: String { "\(app.rawValue) app ← \(upstreamModel) \(streaming ? "stream" : "plain")" }
    }

    static let cases: [Case] = [APIFamily.anthropic, .cohere].flatMap { app in
        ["mock-parallel-3", "mock-interleaved-3"].flatMap { model in
            [true, false].map { Case(app: app, upstreamModel: model, streaming: $0) }
        }
    }

    @Test(arguments: cases)
    func officialSDKsSeeEveryCallInOrder(item: Case) async throws {
        try await BridgeFixture.with { bridge in
            try await bridge.wallet.addGroup(name: "gpt", provider: .openai, model: item.upstreamModel)
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "gpt")
            let root = "http://127.0.0.1:\(bridge.port)/\(item.app.rawValue)"
            let result = try await SDKClient.run(
                SDKClient.Case(family: item.app, streaming: item.streaming, tools: true),
                baseURL: SDKClient.baseURL(root: root, family: item.app),
                apiKey: bridge.sessionKey
            )
            #expect(result["error_status"] == nil, "\(result)")
            let calls = result["tool_calls"] as? [[String: Any]] ?? []
            #expect(calls.count == 3, "\(result)")
            let cities = calls.map { ($0["args"] as? [String: Any])?["city"] as? String ?? "?" }
            #expect(cities == ["mock", "mock2", "mock3"], "\(result)")
            #expect(Set(calls.compactMap { $0["id"] as? String }).count == 3, "\(result)")
            #expect(calls.allSatisfy { $0["name"] as? String == "get_weather" })
        }
    }
}
