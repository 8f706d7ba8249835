import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import Testing

/// The official Python SDKs, pointed at the bridge with a session key as their API key, work
/// unchanged: plain, streaming and tool calls for every family.
@Suite(.enabled(if: PythonInterop.isEnabled(needing: ["anthropic", "openai", "google.genai", "cohere"])))
struct BridgeSDKTests {
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

    @Test(.timeLimit(.minutes(3)), arguments: cases)
    func officialSDKWorksThroughTheBridge(item: Case) async throws {
        try await BridgeFixture.with { bridge in
            let provider = item.family.rawValue
            let base = "http://127.0.0.1:\(bridge.port)/\(provider)" + (item.family == .openai ? "/v1" : "")
            let request: [String: Any] = [
                "family": provider, "base_url": base, "api_key": bridge.sessionKey,
                "model": ModelCatalog.defaultModel(for: item.family), "mode": item.streaming ? "stream" : "plain",
                "tools": item.tools, "prompt": "Hello there",
            ]
            let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
            let output = try await PythonInterop.runScript("sdk_client.py", input: input)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(result["error_status"] == nil, "\(result)")
            if item.tools {
                #expect(result["tool_name"] as? String == "get_weather")
                #expect((result["tool_args"] as? [String: Any])?["city"] as? String == "mock")
            } else {
                #expect(
                    result["text"] as? String == "Mock reply to: Hello there word1 word2 word3 word4 word5 word6 word7"
                )
            }
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.count == 1)
            #expect(log.first?.status == 200)
            #expect(log.first?.outputTokens == (item.tools ? 10 : 12))
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: APIFamily.allCases)
    func officialSDKRaisesItsOwnAuthErrorForABadSessionKey(family: APIFamily) async throws {
        try await BridgeFixture.with { bridge in
            let provider = family.rawValue
            let base = "http://127.0.0.1:\(bridge.port)/\(provider)" + (family == .openai ? "/v1" : "")
            let request: [String: Any] = [
                "family": provider, "base_url": base, "api_key": "byk_not_a_session",
                "model": ModelCatalog.defaultModel(for: family), "mode": "plain", "tools": false, "prompt": "Hi",
            ]
            let input = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
            let output = try await PythonInterop.runScript("sdk_client.py", input: input)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
            #expect(result["error_status"] as? Int == 401)
            #expect((result["message"] as? String ?? "").contains("session"))
        }
    }
}
