import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

/// A Gemini request written with snake_case field names (as proto3 JSON allows, and as the
/// official SDK partly sends) is served the same as a camelCase one: directly and translated.
@Suite(.timeLimit(.minutes(2)))
struct GeminiFieldNameBridgeTests {
    static let body = #"""
        {"system_instruction":{"parts":[{"text":"Be brief"}]},
         "contents":[{"role":"user","parts":[{"text":"Weather in Paris?"}]}],
         "tools":[{"function_declarations":[{"name":"get_weather","description":"Weather",
           "parameters":{"type":"OBJECT","properties":{"city_name":{"type":"STRING"}},"required":["city_name"]}}]}],
         "tool_config":{"function_calling_config":{"mode":"AUTO"}},
         "generation_config":{"max_output_tokens":300,"temperature":0.2}}
        """#

    enum Route: String, CaseIterable, Sendable { case direct, translated }

    @Test(arguments: Route.allCases)
    func snakeCaseRequestsAreUnderstood(route: Route) async throws {
        try await BridgeFixture.with { bridge in
            if route == .translated {
                try await bridge.wallet.addGroup(name: "claude", provider: .anthropic, model: "claude-sonnet-4-6")
                try await bridge.wallet.assign(app: "Bridge test", toGroup: "claude")
            }
            let response = try await bridge.send(
                .POST,
                "/gemini/v1beta/models/gemini-2.5-flash:generateContent",
                body: Self.body,
                headers: [bridge.authHeader(for: .gemini)]
            )
            #expect(response.status == 200, "\(response.text)")
            let candidate = (response.json["candidates"] as? [[String: Any]])?.first
            let parts = (candidate?["content"] as? [String: Any])?["parts"] as? [[String: Any]] ?? []
            let call = parts.compactMap { $0["functionCall"] as? [String: Any] }.first
            #expect(call?["name"] as? String == "get_weather", "\(response.text)")
            #expect((call?["args"] as? [String: Any])?["city_name"] != nil, "\(response.text)")
            let entry = try #require(try await bridge.wallet.store.requestLog().first)
            #expect(entry.actualProvider == (route == .translated ? "anthropic" : "gemini"))
            #expect((entry.outputTokens ?? 0) > 0)
        }
    }
}
