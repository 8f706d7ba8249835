import ByokyCore
import ByokyMockProvider
import ByokyTesting
import Foundation
import Testing

/// The official Python SDKs (anthropic, openai, google-genai, cohere) parse the mock's bodies and
/// streams: the proof that it speaks each family exactly as the real provider does.
@Suite(.enabled(if: PythonInterop.isEnabled(needing: ["anthropic", "openai", "google.genai", "cohere"])))
struct MockProviderSDKTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let family: APIFamily
        let streaming: Bool
        let tools: Bool
        var testDescription: String { "\(family.rawValue) \(streaming ? "stream" : "plain")\(tools ? " tools" : "")" }
    }

    static let cases: [Case] = APIFamily.allCases.flatMap { family in
        [false, true].flatMap { streaming in
            [false, true].map { Case(family: family, streaming: streaming, tools: $0) }
        }
    }

    /// What each family's SDK calls its stop reasons.
    static func stopReason(_ family: APIFamily, tools: Bool) -> String {
        switch family {
        case .anthropic: tools ? "tool_use" : "end_turn"
        case .openai: tools ? "tool_calls" : "stop"
        case .gemini: "STOP"
        case .cohere: tools ? "TOOL_CALL" : "COMPLETE"
        }
    }

    static func model(_ family: APIFamily) -> String { ModelCatalog.defaultModel(for: family) }

    @Test(.timeLimit(.minutes(2)), arguments: cases)
    func officialSDKUnderstandsTheMock(item: Case) async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-sdk")) { port in
            let base = item.family == .openai ? "http://127.0.0.1:\(port)/v1" : "http://127.0.0.1:\(port)"
            let request: [String: Any] = [
                "family": item.family.rawValue, "base_url": base, "api_key": "sk-mock-sdk",
                "model": Self.model(item.family), "mode": item.streaming ? "stream" : "plain", "tools": item.tools,
                "prompt": "Hello there",
            ]
            let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
            let output = try await PythonInterop.runScript("sdk_client.py", input: input)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(result["error_status"] == nil, "\(result)")
            #expect(result["stop_reason"] as? String == Self.stopReason(item.family, tools: item.tools))
            if item.tools {
                #expect(result["tool_name"] as? String == "get_weather")
                let arguments = result["tool_args"] as? [String: Any]
                #expect(arguments?["city"] as? String == "mock")
                #expect(arguments?["days"] as? Int == 1)
                #expect(result["output_tokens"] as? Int == 10)
            } else {
                #expect(
                    result["text"] as? String == "Mock reply to: Hello there word1 word2 word3 word4 word5 word6 word7"
                )
                #expect(result["output_tokens"] as? Int == 12)
            }
            #expect((result["input_tokens"] as? Int ?? 0) > 0)
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: APIFamily.allCases)
    func officialSDKRaisesItsOwnErrorForAWrongKey(family: APIFamily) async throws {
        try await MockProvider.withRunningServer(configuration: .init(apiKey: "sk-mock-sdk")) { port in
            let base = family == .openai ? "http://127.0.0.1:\(port)/v1" : "http://127.0.0.1:\(port)"
            let request: [String: Any] = [
                "family": family.rawValue, "base_url": base, "api_key": "wrong", "model": Self.model(family),
                "mode": "plain", "tools": false, "prompt": "Hello",
            ]
            let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
            let output = try await PythonInterop.runScript("sdk_client.py", input: input)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(result["error_status"] as? Int == 401)
            #expect(
                ["AuthenticationError", "ClientError", "UnauthorizedError"].contains(
                    result["error_type"] as? String ?? ""
                )
            )
        }
    }
}
