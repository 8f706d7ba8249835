import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import Testing

/// The official Python SDKs, pointed at the bridge with a session key as their API key, work
/// unchanged: plain, streaming and tool calls for every family.
@Suite(.serialized, .enabled(if: PythonInterop.isEnabled(needing: SDKClient.modules)))
struct BridgeSDKTests {
    @Test(.timeLimit(.minutes(3)), arguments: SDKClient.matrix)
    func officialSDKWorksThroughTheBridge(item: SDKClient.Case) async throws {
        try await BridgeFixture.with { bridge in
            let root = "http://127.0.0.1:\(bridge.port)/\(item.family.rawValue)"
            let result = try await SDKClient.run(
                item,
                baseURL: SDKClient.baseURL(root: root, family: item.family),
                apiKey: bridge.sessionKey
            )
            #expect(result["error_status"] == nil, "\(result)")
            if item.tools {
                #expect(result["tool_name"] as? String == "get_weather")
                #expect((result["tool_args"] as? [String: Any])?["city"] as? String == "mock")
            } else {
                #expect(result["text"] as? String == SDKClient.mockReplyToHelloThere)
            }
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.count == item.requestCount)
            #expect(log.allSatisfy { $0.status == 200 })
            #expect(log.allSatisfy { $0.outputTokens == (item.tools ? 10 : 12) })
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: APIFamily.allCases)
    func officialSDKRaisesItsOwnAuthErrorForABadSessionKey(family: APIFamily) async throws {
        try await BridgeFixture.with { bridge in
            let root = "http://127.0.0.1:\(bridge.port)/\(family.rawValue)"
            let result = try await SDKClient.run(
                SDKClient.Case(family: family, streaming: false, tools: false),
                baseURL: SDKClient.baseURL(root: root, family: family),
                apiKey: "byk_not_a_session"
            )
            #expect(result["error_status"] as? Int == 401)
            #expect((result["message"] as? String ?? "").contains("session"))
        }
    }
}
