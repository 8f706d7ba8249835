import ByokyCore
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOHTTP1
import Testing

/// What the bridge counts against a cap is what the provider charges, and no count an app or a
/// provider sends stops the wallet.
@Suite(.timeLimit(.minutes(2)))
struct CountedUsageTests {
    /// Gemini reports what its own tools read (a search's results) apart from the prompt
    /// (`toolUsePromptTokenCount`); it is input Google charges, and a cap counts it. Before, a
    /// capped app could search the web with Gemini while its cap counted the question alone.
    @Test(arguments: [false, true])
    func geminisToolInputCountsAgainstACap(streamed: Bool) async throws {
        try await BridgeFixture.with(grant: [.gemini]) { bridge in
            try await bridge.wallet.setAllowance(app: "Bridge test", tokens: 5_000_000, period: .lifetime)
            let method = streamed ? "streamGenerateContent?alt=sse" : "generateContent"
            let answer = try await bridge.send(
                .POST,
                "/gemini/v1beta/models/gemini-2.5-flash:\(method)",
                body:
                    #"{"contents":[{"role":"user","parts":[{"text":"What happened today?"}]}],"tools":[{"google_search":{}}],"generationConfig":{"maxOutputTokens":100}}"#,
                headers: [bridge.authHeader(for: .gemini)]
            )
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.text.contains("toolUsePromptTokenCount"))
            let used = try #require(try await bridge.wallet.allowanceStatuses().first?.used)
            #expect(used > MockProvider.providerToolTokens, "\(used)")
            let logged = try #require(try await bridge.wallet.log(limit: 1).first)
            #expect((logged.inputTokens ?? 0) > MockProvider.providerToolTokens)
        }
    }

    /// An app routed across families that asks for a thinking budget as large as an `Int` holds:
    /// before, the translation added it to the output limit and the wallet's process stopped on
    /// the overflow; now the limits are held to counts no provider comes near, the request is
    /// answered, and the wallet serves the next.
    @Test func anAppsHugeThinkingBudgetDoesNotStopTheWallet() async throws {
        try await BridgeFixture.with(grant: [.gemini, .anthropic]) { bridge in
            try await bridge.wallet.addGroup(name: "claude", provider: .anthropic, model: "claude-sonnet-4-6")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "claude")
            let auth = bridge.authHeader(for: .gemini)
            let path = "/gemini/v1beta/models/gemini-2.5-flash:generateContent"
            let hostile =
                #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":1,"thinkingConfig":{"thinkingBudget":9223372036854775807}}}"#
            let answered = try await bridge.send(.POST, path, body: hostile, headers: [auth])
            #expect(answered.status < 500, "\(answered.text)")
            let plain = #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}"#
            let next = try await bridge.send(.POST, path, body: plain, headers: [auth])
            #expect(next.status == 200, "\(next.text)")
        }
    }
}
