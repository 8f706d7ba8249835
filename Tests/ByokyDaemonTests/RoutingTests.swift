import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOHTTP1
import Testing

/// Groups move apps between providers and models, per request, without the app knowing.
@Suite(.timeLimit(.minutes(2)))
struct RoutingTests {
    static let groqPath = "/groq/openai/v1/chat/completions"
    static let groqBody =
        #"{"model":"llama-3.3-70b-versatile","seed":9007199254740993,"messages":[{"role":"user","content":"Hi"}]}"#

    @Test func sameFamilySwapSendsAGroqAppToOpenAIWithTheGroupsModel() async throws {
        try await BridgeFixture.with(grant: [.groq, .openai, .anthropic]) { bridge in
            let auth = bridge.authHeader(for: .groq)
            // No groq key and no group: the automatic route picks a key of another family, which
            // needs translation.
            let before = try await bridge.send(.POST, Self.groqPath, body: Self.groqBody, headers: [auth])
            #expect(before.status == 501)
            #expect(before.header("x-byoky-error-code") == "NOT_IMPLEMENTED")

            try await bridge.wallet.addGroup(name: "cheap", provider: .openai, model: "gpt-5.4-mini")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "cheap")
            let after = try await bridge.send(.POST, Self.groqPath, body: Self.groqBody, headers: [auth])
            #expect(after.status == 200, "\(after.text)")
            #expect(after.json["model"] as? String == "gpt-5.4-mini")
            let entry = try #require(try await bridge.wallet.store.requestLog().first)
            #expect(entry.provider == "groq")
            #expect(entry.actualProvider == "openai")
            #expect(entry.model == "gpt-5.4-mini")
            #expect(entry.outputTokens == 12)

            let models = try await bridge.send(.GET, "/groq/openai/v1/models", headers: [auth])
            #expect(models.status == 400)
            #expect(models.header("x-byoky-error-code") == "TRANSLATION_NOT_SUPPORTED")
        }
    }

    @Test func aGroupOnTheSameProviderOverridesTheModel() async throws {
        try await BridgeFixture.with { bridge in
            try await bridge.wallet.addGroup(name: "best", provider: .anthropic, model: "claude-opus-4-7")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "best")
            let route = BridgeTests.routes[0]
            let response = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [bridge.authHeader(for: .anthropic)]
            )
            #expect(response.status == 200)
            #expect(response.json["model"] as? String == "claude-opus-4-7")

            try await bridge.wallet.addGroup(name: "flash", provider: .gemini, model: "gemini-2.5-flash")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "flash")
            let gemini = BridgeTests.routes[2]
            let answer = try await bridge.send(
                .POST,
                gemini.path,
                body: gemini.body,
                headers: [bridge.authHeader(for: .gemini)]
            )
            #expect(answer.json["modelVersion"] as? String == "gemini-2.5-flash")
        }
    }

    @Test func crossFamilyRoutesSayTranslationIsNotBuiltYet() async throws {
        try await BridgeFixture.with { bridge in
            try await bridge.wallet.addGroup(name: "claude", provider: .anthropic, model: "claude-sonnet-4-6")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "claude")
            let route = BridgeTests.routes[1]
            let response = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(response.status == 501)
            #expect(
                ((response.json["error"] as? [String: Any])?["message"] as? String)?.contains("translation") == true
            )
            await #expect(throws: ByokyError(.notFound, "")) {
                try await bridge.wallet.assign(app: "x", toGroup: "nope")
            }
            await #expect(throws: ByokyError(.invalidRequest, "")) {
                try await bridge.wallet.addGroup(name: "claude", provider: .anthropic)
            }
            try await bridge.wallet.removeGroup("claude")
            let direct = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(direct.status == 200)
        }
    }
}
