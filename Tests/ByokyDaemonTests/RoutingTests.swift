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
            // No groq key and no group: the automatic route picks a key of another family (Anthropic
            // first) and translates; the app still sees an OpenAI-shaped answer under its own model name.
            let before = try await bridge.send(.POST, Self.groqPath, body: Self.groqBody, headers: [auth])
            #expect(before.status == 200, "\(before.text)")
            #expect(before.json["object"] as? String == "chat.completion")
            #expect(before.json["model"] as? String == "llama-3.3-70b-versatile")
            let automatic = try #require(try await bridge.wallet.store.requestLog().first)
            #expect(automatic.actualProvider == "anthropic")
            #expect(automatic.model == "claude-sonnet-4-6")

            try await bridge.wallet.addGroup(name: "cheap", provider: .openai, model: "gpt-5.4-mini")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "cheap")
            let after = try await bridge.send(.POST, Self.groqPath, body: Self.groqBody, headers: [auth])
            #expect(after.status == 200, "\(after.text)")
            #expect(after.json["model"] as? String == "gpt-5.4-mini")
            let entry = try #require(try await bridge.wallet.store.requestLog().first { $0.actualProvider == "openai" })
            #expect(entry.provider == "groq")
            #expect(entry.actualProvider == "openai")
            #expect(entry.model == "gpt-5.4-mini")
            #expect(entry.outputTokens == 12)

            // The app's model list (on its own provider's path) names the group's model, in its format.
            let models = try await bridge.send(.GET, "/groq/openai/v1/models", headers: [auth])
            #expect(models.status == 200, "\(models.text)")
            #expect((models.json["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["gpt-5.4-mini"])
            // Other endpoints do not move between providers.
            let embeddings = try await bridge.send(
                .POST,
                "/groq/openai/v1/embeddings",
                body: #"{"model":"x","input":"hi"}"#,
                headers: [auth]
            )
            #expect(embeddings.status == 400)
            #expect(embeddings.header("x-byoky-error-code") == "TRANSLATION_NOT_SUPPORTED")
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

    @Test func crossFamilyGroupTranslatesPlainAndStreamingRequests() async throws {
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
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["object"] as? String == "chat.completion")
            #expect(response.json["model"] as? String == "gpt-5.5")
            let choice = (response.json["choices"] as? [[String: Any]])?.first
            #expect(
                ((choice?["message"] as? [String: Any])?["content"] as? String)?.hasPrefix("Mock reply to: Hi bridge")
                    == true
            )
            let entry = try #require(try await bridge.wallet.store.requestLog().first)
            #expect(entry.actualProvider == "anthropic")
            #expect(entry.model == "claude-sonnet-4-6")
            #expect((entry.outputTokens ?? 0) > 0)

            let streamed = try await bridge.send(
                .POST,
                route.streamPath,
                body: route.streamBody,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(streamed.status == 200)
            #expect(streamed.header("content-type")?.hasPrefix("text/event-stream") == true)
            var decoder = SSEDecoder()
            let events = try decoder.feed(streamed.body)
            #expect(events.last?.isDoneMarker == true)
            #expect(streamed.text.contains("chat.completion.chunk"))
            let streamEntry = try #require(try await bridge.wallet.store.requestLog().first)
            #expect((streamEntry.outputTokens ?? 0) > 0)
            #expect(streamEntry.errorCode == nil)

            // Endpoints other than chat are refused in the app's own error format.
            let embeddings = try await bridge.send(
                .POST,
                "/openai/v1/embeddings",
                body: #"{"model":"x","input":"hi"}"#,
                headers: [bridge.authHeader(for: .openai)]
            )
            #expect(embeddings.status == 400)
            #expect(embeddings.header("x-byoky-error-code") == "TRANSLATION_NOT_SUPPORTED")
            #expect((embeddings.json["error"] as? [String: Any])?["type"] as? String == "invalid_request_error")
            // It says what would work, in words: the API the app speaks by its name.
            let said = (embeddings.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(said.contains("Route the app to a provider that speaks the OpenAI API"), "\(said)")
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

    /// An app cannot slip past its group's model by spelling `model` twice or with an escape
    /// (which a provider's parser decodes): the provider gets the group's model whichever of two
    /// members its parser keeps (the mock's keeps the first; most keep the last), and the log
    /// names it. Without a group, a name spelled with an escape is read as the provider reads it.
    @Test func aGroupsModelHoldsHoweverTheAppSpellsTheMember() async throws {
        let bodies = [
            #"{"model":"claude-sonnet-4-6","max_tokens":64,"m\u006fdel":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}"#,
            #"{"model":"claude-sonnet-4-6","model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#,
            #"{"max_tokens":64,"mod\u0065l":"claude-haiku-4-5","messages":[{"role":"user","content":"Hi"}]}"#,
        ]
        try await BridgeFixture.with { bridge in
            let path = BridgeTests.routes[0].path
            for body in bodies.suffix(1) {
                let response = try await bridge.send(
                    .POST,
                    path,
                    body: body,
                    headers: [bridge.authHeader(for: .anthropic)]
                )
                #expect(response.json["model"] as? String == "claude-haiku-4-5", "\(body)")
                let entry = try #require(try await bridge.wallet.store.requestLog().first)
                #expect(entry.model == "claude-haiku-4-5", "\(body)")
            }
            try await bridge.wallet.addGroup(name: "best", provider: .anthropic, model: "claude-opus-4-7")
            try await bridge.wallet.assign(app: "Bridge test", toGroup: "best")
            for body in bodies {
                let response = try await bridge.send(
                    .POST,
                    path,
                    body: body,
                    headers: [bridge.authHeader(for: .anthropic)]
                )
                #expect(response.status == 200, "\(response.text)")
                #expect(response.json["model"] as? String == "claude-opus-4-7", "\(body)")
                let entry = try #require(try await bridge.wallet.store.requestLog().first)
                #expect(entry.model == "claude-opus-4-7", "\(body)")
            }
        }
    }

    /// A whole answer translated between any two families is metered from the tree its
    /// translation parsed, read once the answer is written: the log has the mock's usage.
    @Test(arguments: StreamLogOrderTests.pairs.filter { $0.app != $0.upstream })
    func aTranslatedWholeAnswerIsMeteredFromEveryFamily(pair: StreamLogOrderTests.Pair) async throws {
        try await BridgeFixture.with { bridge in
            let route = try await pair.route(through: bridge)
            let response = try await bridge.send(
                .POST,
                route.path,
                body: route.body,
                headers: [bridge.authHeader(for: route.provider)]
            )
            #expect(response.status == 200, "\(response.text)")
            let entry = try #require(try await bridge.wallet.store.requestLog().first)
            #expect(entry.actualProvider == pair.upstream.rawValue)
            #expect(entry.outputTokens == 12)
            #expect((entry.inputTokens ?? 0) > 0)
            #expect(entry.errorCode == nil)
        }
    }
}
