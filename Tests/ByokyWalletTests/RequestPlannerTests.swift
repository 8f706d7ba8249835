import ByokyCore
import ByokyStore
import ByokyTranslate
import NIOCore
import Testing

@testable import ByokyWallet

/// Every routing decision, made without I/O: which key or gift, which provider, path and body.
struct RequestPlannerTests {
    static let now: Int64 = 1_800_000_000_000

    static func key(_ provider: ProviderID, id: String? = nil, baseURL: String? = nil) -> CredentialRecord {
        CredentialRecord(
            id: id ?? "key-\(provider.rawValue)",
            provider: provider,
            label: provider.rawValue,
            authMethod: .apiKey,
            sealedSecret: "sealed",
            maskedSecret: "sk-...",
            baseURL: baseURL,
            createdAt: 1
        )
    }

    static func group(
        _ provider: ProviderID,
        model: String? = nil,
        key: String? = nil,
        gift: String? = nil
    )
        -> GroupRecord
    {
        GroupRecord(id: "g", name: "g", provider: provider, credentialID: key, model: model, createdAt: 1, giftID: gift)
    }

    static func gift(
        _ provider: ProviderID,
        ended: GiftEndReason? = nil,
        expiresAt: Int64 = now + 60_000
    ) -> ReceivedGiftRecord {
        ReceivedGiftRecord(
            id: "gift-1",
            provider: provider,
            senderLabel: "Ana",
            relayURL: "wss://relay.example",
            roomID: "v2_room",
            publicKey: nil,
            sealedToken: "sealed",
            maxTokens: 1000,
            expiresAt: expiresAt,
            createdAt: 1,
            endedReason: ended
        )
    }

    static func request(_ provider: ProviderID, _ path: String, _ body: String) -> ProxyRequest {
        ProxyRequest(
            provider: provider,
            method: "POST",
            pathAndQuery: path,
            headers: [],
            body: ByteBuffer(string: body)
        )
    }

    static func plan(
        _ request: ProxyRequest,
        granted: [ProviderID]? = nil,
        group: GroupRecord? = nil,
        keys: [CredentialRecord],
        gifts: [ReceivedGiftRecord] = [],
        limit: Int = 1_000_000
    ) throws -> RequestPlan {
        try RequestPlanner.plan(
            request,
            inputs: .init(
                grantedProviders: granted ?? [request.provider],
                group: group,
                credentials: keys,
                receivedGifts: gifts,
                now: now,
                maximumBodySize: limit,
                requestID: "req-1",
                appModel: ProxyEngine.model(of: request)
            )
        )
    }

    static let anthropicBody =
        #"{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"#
    static let openAIBody = #"{"model":"gpt-5.5","messages":[{"role":"user","content":"Hi"}]}"#

    static func text(_ buffer: ByteBuffer) -> String { String(buffer: buffer) }

    static func code(of body: () throws -> RequestPlan) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as ByokyError {
            return error.code.rawValue
        } catch {
            return "other"
        }
    }

    @Test func directRequestsKeepPathBodyAndModel() throws {
        let plan = try Self.plan(
            Self.request(.anthropic, "/v1/messages", Self.anthropicBody),
            keys: [Self.key(.anthropic)]
        )
        guard case .credential(let key) = plan.source else { throw ByokyError(.internalError, "no key") }
        #expect(key.id == "key-anthropic")
        #expect(plan.target.id == .anthropic && plan.kind == .direct)
        #expect(plan.pathAndQuery == "/v1/messages")
        #expect(Self.text(plan.body) == Self.anthropicBody)
        #expect(plan.translation == nil)
        #expect(plan.model == "claude-sonnet-4-6")
        #expect(plan.estimate(for: Self.request(.anthropic, "/v1/messages", Self.anthropicBody)).tokens > 64)
    }

    @Test func geminiKeepsNoSessionKeyInTheQueryAndTakesTheGroupsModelInThePath() throws {
        let plan = try Self.plan(
            Self.request(.gemini, "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse&key=byk_secret", "{}"),
            group: Self.group(.gemini, model: "gemini-2.5-flash"),
            keys: [Self.key(.gemini)]
        )
        #expect(plan.pathAndQuery == "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse")
        #expect(plan.model == "gemini-2.5-flash")
    }

    @Test func aGroupOnTheSameProviderSetsTheModelInTheBody() throws {
        let plan = try Self.plan(
            Self.request(.anthropic, "/v1/messages", Self.anthropicBody),
            group: Self.group(.anthropic, model: "claude-opus-4-7"),
            keys: [Self.key(.anthropic), Self.key(.anthropic, id: "second")]
        )
        #expect(Self.text(plan.body).contains(#""model":"claude-opus-4-7""#))
        #expect(plan.model == "claude-opus-4-7")
        let pinned = try Self.plan(
            Self.request(.anthropic, "/v1/messages", Self.anthropicBody),
            group: Self.group(.anthropic, key: "second"),
            keys: [Self.key(.anthropic), Self.key(.anthropic, id: "second")]
        )
        guard case .credential(let key) = pinned.source else { throw ByokyError(.internalError, "no key") }
        #expect(key.id == "second")
    }

    /// A group's model stands in for the app's where a request generates or counts with it; an
    /// embeddings, image or audio request keeps the app's own (a chat model there is refused).
    @Test(arguments: [
        (ProviderID.openai, "/v1/chat/completions", true), (.openai, "/v1/completions", true),
        (.openai, "/v1/responses", true), (.openai, "/v1/responses/input_tokens", true),
        (.openai, "/v1/embeddings", false), (.openai, "/v1/images/generations", false),
        (.openai, "/v1/audio/speech", false), (.openai, "/v1/moderations", false),
        (.azureOpenAI, "/openai/deployments/gpt/chat/completions", true),
        (.azureOpenAI, "/openai/deployments/gpt/embeddings", false),
        (.anthropic, "/v1/messages", true), (.anthropic, "/v1/messages/count_tokens", true),
        (.anthropic, "/v1/messages/batches", false),
        (.cohere, "/v2/chat", true), (.cohere, "/v2/embed", false), (.cohere, "/v2/rerank", false),
        (.ollama, "/v1/chat/completions", true), (.ollama, "/api/chat", true), (.ollama, "/api/generate", true),
        (.ollama, "/api/embed", false),
    ])
    func aGroupsModelStandsInOnlyWhereARequestGeneratesWithIt(
        provider: ProviderID,
        path: String,
        pinned: Bool
    )
        throws
    {
        let body = #"{"model":"app-model","input":"Hi"}"#
        let plan = try Self.plan(
            Self.request(provider, path, body),
            group: Self.group(provider, model: "group-model"),
            keys: [Self.key(provider)]
        )
        #expect(plan.model == (pinned ? "group-model" : "app-model"), "\(path)")
        #expect(Self.text(plan.body).contains(pinned ? #""model":"group-model""# : body), "\(path)")
    }

    @Test(arguments: [
        ("generateContent", true), ("streamGenerateContent", true), ("countTokens", true), ("embedContent", false),
        ("batchEmbedContents", false),
    ])
    func aGeminiGroupsModelStandsInOnlyForGeneratingAndCounting(method: String, pinned: Bool) throws {
        let plan = try Self.plan(
            Self.request(.gemini, "/v1beta/models/app-model:\(method)", "{}"),
            group: Self.group(.gemini, model: "group-model"),
            keys: [Self.key(.gemini)]
        )
        #expect(plan.pathAndQuery == "/v1beta/models/\(pinned ? "group-model" : "app-model"):\(method)")
        #expect(plan.model == (pinned ? "group-model" : "app-model"))
    }

    /// An endpoint that would hand the app a credential of the owner's is refused on every
    /// route, before a key is chosen.
    @Test(arguments: [
        (ProviderID.openai, "/v1/realtime/client_secrets"), (.openai, "/v1/realtime/sessions"),
        (.azureOpenAI, "/openai/v1/realtime/client_secrets"), (.gemini, "/v1alpha/auth_tokens"),
    ])
    func credentialMintingIsRefusedOnEveryRoute(provider: ProviderID, path: String) throws {
        for method in ["POST", "post"] {
            var request = Self.request(provider, path, #"{"session":{"type":"realtime"}}"#)
            request.method = method
            #expect(Self.code { try Self.plan(request, keys: [Self.key(provider)]) } == "PROVIDER_UNAVAILABLE")
            #expect(
                Self.code {
                    try Self.plan(request, group: Self.group(provider, model: "m"), keys: [Self.key(provider)])
                } == "PROVIDER_UNAVAILABLE"
            )
        }
    }

    @Test func sameFamilySwapsMoveOnlyChatRequests() throws {
        let groq = Self.request(.groq, "/openai/v1/chat/completions", Self.openAIBody)
        let plan = try Self.plan(groq, group: Self.group(.openai, model: "gpt-5.4-mini"), keys: [Self.key(.openai)])
        #expect(plan.kind == .swap && plan.target.id == .openai)
        #expect(plan.pathAndQuery == "/v1/chat/completions")
        #expect(Self.text(plan.body).contains(#""model":"gpt-5.4-mini""#))
        let models = Self.request(.groq, "/openai/v1/models", "")
        #expect(
            Self.code { try Self.plan(models, group: Self.group(.openai), keys: [Self.key(.openai)]) }
                == "TRANSLATION_NOT_SUPPORTED"
        )
    }

    /// A Responses call moves between providers that both serve the Responses API, under the
    /// target's own prefix (a stored response's paths too), with the group's model; to a provider
    /// that serves Chat Completions only, it is refused and says why.
    @Test(arguments: [
        (ProviderID.groq, "/openai/v1/responses", ProviderID.openai, "/v1/responses"),
        (.openai, "/v1/responses", .groq, "/openai/v1/responses"),
        (.openai, "/v1/responses/resp_1/input_items", .fireworks, "/inference/v1/responses/resp_1/input_items"),
        (.xai, "/v1/responses/resp_1", .openrouter, "/api/v1/responses/resp_1"),
        (.openai, "/v1/responses", .azureOpenAI, "/v1/responses"),
    ])
    func sameFamilySwapsMoveResponsesCalls(from: ProviderID, path: String, to: ProviderID, moved: String) throws {
        let body = #"{"model":"app-model","input":"Hello"}"#
        let baseURL = to == .azureOpenAI ? "https://example.openai.azure.com/openai" : nil
        let plan = try Self.plan(
            Self.request(from, path, body),
            group: Self.group(to, model: "target-model"),
            keys: [Self.key(to, baseURL: baseURL)]
        )
        #expect(plan.kind == .swap && plan.target.id == to)
        #expect(plan.pathAndQuery == moved)
        #expect(Self.text(plan.body).contains(#""model":"target-model""#) == path.hasSuffix("/responses"))
    }

    @Test func aResponsesCallCannotMoveToAProviderWithoutTheAPI() throws {
        for target in [ProviderID.mistral, .deepseek, .together, .perplexity] {
            let request = Self.request(.openai, "/v1/responses", #"{"model":"m","input":"Hi"}"#)
            #expect(
                Self.code { try Self.plan(request, group: Self.group(target, model: "x"), keys: [Self.key(target)]) }
                    == "TRANSLATION_NOT_SUPPORTED",
                "\(target)"
            )
        }
    }

    /// A routed app's `GET` of its model list or one model is answered by the wallet in the app's
    /// format, naming the route's model; on a same-family route with no model it goes to the
    /// target's own list; a direct route passes it through; anything else still cannot move.
    /// A translated app's token count goes to the target's count endpoint when the target's API
    /// counts (Anthropic, Gemini), translated as a chat with only what a count takes; else it is
    /// answered by the wallet in the app's format, with the estimate its caps reserve (a token for
    /// four bytes). One on a direct route, or a route to the same provider with another model,
    /// goes to the provider (with the route's model).
    @Test func aTranslatedAppsTokenCountIsAnsweredInItsFormat() throws {
        let count = #"{"model":"claude-sonnet-4-6","messages":[{"role":"user","content":"How long is this text?"}]}"#
        let toOpenAI = Self.group(.openai, model: "gpt-5.4-mini")
        let anthropic = try Self.plan(
            Self.request(.anthropic, "/v1/messages/count_tokens", count),
            group: toOpenAI,
            keys: [Self.key(.openai)]
        )
        let anthropicAnswer = try JSONNode.parse(try #require(anthropic.localAnswer))
        #expect(anthropicAnswer["input_tokens"]?.doubleValue == Double(count.utf8.count / 4))
        #expect(anthropic.target.id == .openai && anthropic.model == "gpt-5.4-mini")

        let contents = #"{"contents":[{"role":"user","parts":[{"text":"How long is this text?"}]}]}"#
        let geminiToOpenAI = try Self.plan(
            Self.request(.gemini, "/v1beta/models/gemini-2.5-flash:countTokens?key=byk_secret", contents),
            group: toOpenAI,
            keys: [Self.key(.openai)]
        )
        let geminiAnswer = try JSONNode.parse(try #require(geminiToOpenAI.localAnswer))
        #expect(geminiAnswer["totalTokens"]?.doubleValue == Double(contents.utf8.count / 4))
        #expect(geminiAnswer["promptTokensDetails"]?.arrayValue?.first?["tokenCount"] == geminiAnswer["totalTokens"])

        // To the family that counts: its count endpoint, with the route's model.
        for gemini in [
            contents,
            #"{"generate_content_request":{"model":"models/gemini-2.5-flash","contents":[{"role":"user","#
                + #""parts":[{"text":"How long is this text?"}]}],"systemInstruction":{"parts":[{"text":"Be brief"}]}}}"#,
        ] {
            let toAnthropic = try Self.plan(
                Self.request(.gemini, "/v1beta/models/gemini-2.5-flash:countTokens?key=byk_secret", gemini),
                group: Self.group(.anthropic, model: "claude-haiku-4-5"),
                keys: [Self.key(.anthropic)]
            )
            #expect(toAnthropic.localAnswer == nil && toAnthropic.translation != nil)
            #expect(toAnthropic.pathAndQuery == "/v1/messages/count_tokens")
            let body = try #require(try JSONNode.parse(Array(toAnthropic.body.readableBytesView)).objectValue)
            let countMembers: Set = ["model", "messages", "system", "tools", "tool_choice", "thinking"]
            #expect(Set(body.map(\.key)).isSubset(of: countMembers))
            #expect(body["model"]?.stringValue == "claude-haiku-4-5")
            #expect(body["messages"]?.arrayValue?.count == 1)
            #expect((body["system"] != nil) == gemini.contains("Be brief"))
        }
        let toGemini = try Self.plan(
            Self.request(.anthropic, "/v1/messages/count_tokens", count),
            group: Self.group(.gemini, model: "gemini-2.5-flash"),
            keys: [Self.key(.gemini)]
        )
        #expect(toGemini.localAnswer == nil && toGemini.translation != nil)
        #expect(toGemini.pathAndQuery == "/v1beta/models/gemini-2.5-flash:countTokens")
        let geminiCount = try JSONNode.parse(Array(toGemini.body.readableBytesView))
        #expect(geminiCount.objectValue?.count == 1)
        #expect(geminiCount["generateContentRequest"]?["model"]?.stringValue == "models/gemini-2.5-flash")
        #expect(geminiCount["generateContentRequest"]?["contents"]?.arrayValue?.count == 1)
        // The target's count comes back in the app's format; an answer without one is refused.
        let translator = try #require(toGemini.translation).translator
        let counted = translator.translateResponse(Array(#"{"totalTokens":7}"#.utf8), status: 200)
        #expect(counted.status == 200)
        #expect(try JSONNode.parse(counted.body)["input_tokens"]?.intValue == 7)
        #expect(translator.translateResponse(Array(#"{"candidates":[]}"#.utf8), status: 200).status == 502)
        let refused = translator.translateResponse(
            Array(#"{"error":{"code":400,"message":"bad","status":"INVALID_ARGUMENT"}}"#.utf8),
            status: 400
        )
        #expect(refused.status == 400)
        #expect(try JSONNode.parse(refused.body)["type"]?.stringValue == "error")

        // Direct, and the same provider with the route's model: the provider counts.
        let direct = try Self.plan(
            Self.request(.anthropic, "/v1/messages/count_tokens", count),
            keys: [Self.key(.anthropic)]
        )
        #expect(direct.localAnswer == nil && direct.pathAndQuery == "/v1/messages/count_tokens")
        let remodelled = try Self.plan(
            Self.request(.anthropic, "/v1/messages/count_tokens", count),
            group: Self.group(.anthropic, model: "claude-haiku-4-5"),
            keys: [Self.key(.anthropic)]
        )
        #expect(remodelled.localAnswer == nil && remodelled.pathAndQuery == "/v1/messages/count_tokens")
        #expect(Self.text(remodelled.body).contains(#""model":"claude-haiku-4-5""#))
        // Other endpoints of a translated app are still refused.
        #expect(
            Self.code {
                try Self.plan(
                    Self.request(.anthropic, "/v1/messages/batches", count),
                    group: toOpenAI,
                    keys: [Self.key(.openai)]
                )
            } == "TRANSLATION_NOT_SUPPORTED"
        )
    }

    @Test func aRoutedAppsModelRequestsAreAnsweredInItsFormat() throws {
        func get(_ provider: ProviderID, _ path: String) -> ProxyRequest {
            var request = Self.request(provider, path, "")
            request.method = "GET"
            return request
        }
        func answer(_ plan: RequestPlan) throws -> JSONNode {
            try JSONNode.parse(try #require(plan.localAnswer, "no answer of the wallet's own"))
        }
        let toClaude = Self.group(.anthropic, model: "claude-sonnet-4-6")
        let openAIList = try answer(
            try Self.plan(get(.openai, "/v1/models"), group: toClaude, keys: [Self.key(.anthropic)])
        )
        #expect(openAIList["object"]?.stringValue == "list")
        #expect(openAIList["data"]?.arrayValue?.map { $0["id"]?.stringValue } == ["claude-sonnet-4-6"])
        #expect(openAIList["data"]?.arrayValue?.first?["owned_by"]?.stringValue == "anthropic")

        let toOpenAI = Self.group(.openai, model: "gpt-5.4-mini")
        let anthropicOne = try answer(
            try Self.plan(get(.anthropic, "/v1/models/claude-opus-4-7"), group: toOpenAI, keys: [Self.key(.openai)])
        )
        #expect(anthropicOne["type"]?.stringValue == "model")
        #expect(anthropicOne["id"]?.stringValue == "claude-opus-4-7")
        let geminiList = try answer(
            try Self.plan(
                get(.gemini, "/v1beta/models?pageSize=50&key=byk_secret"),
                group: toOpenAI,
                keys: [Self.key(.openai)]
            )
        )
        #expect(geminiList["models"]?.arrayValue?.map { $0["name"]?.stringValue } == ["models/gpt-5.4-mini"])
        let cohereList = try answer(
            try Self.plan(get(.cohere, "/v1/models"), group: toOpenAI, keys: [Self.key(.openai)])
        )
        #expect(cohereList["models"]?.arrayValue?.map { $0["name"]?.stringValue } == ["gpt-5.4-mini"])

        // Same family, no model of the route's own: the target's own list, sent to it.
        let swapped = try Self.plan(
            get(.groq, "/openai/v1/models"),
            group: Self.group(.openai),
            keys: [Self.key(.openai)]
        )
        #expect(swapped.localAnswer == nil && swapped.kind == .swap && swapped.pathAndQuery == "/v1/models")
        let swappedOne = try Self.plan(
            get(.groq, "/openai/v1/models/gpt-5.5"),
            group: Self.group(.openai),
            keys: [Self.key(.openai)]
        )
        #expect(swappedOne.pathAndQuery == "/v1/models/gpt-5.5")
        // A direct route passes the app's list through.
        let direct = try Self.plan(get(.openai, "/v1/models"), keys: [Self.key(.openai)])
        #expect(direct.localAnswer == nil && direct.pathAndQuery == "/v1/models")
        // Deeper paths, and other methods, are not model requests.
        for request in [get(.openai, "/v1/models/a/b"), Self.request(.openai, "/v1/models", "")] {
            #expect(
                Self.code { try Self.plan(request, group: toClaude, keys: [Self.key(.anthropic)]) }
                    == "TRANSLATION_NOT_SUPPORTED"
            )
        }
    }

    @Test func crossFamilyRoutesTranslate() throws {
        let app = Self.request(.openai, "/v1/chat/completions", Self.openAIBody)
        let plan = try Self.plan(
            app,
            group: Self.group(.anthropic, model: "claude-sonnet-4-6"),
            keys: [Self.key(.anthropic)]
        )
        #expect(plan.kind == .translate && plan.target.id == .anthropic)
        #expect(plan.translation != nil)
        #expect(plan.pathAndQuery == "/v1/messages")
        let body = try JSONNode.parse(plan.body.readableBytesView)
        #expect(body["model"]?.stringValue == "claude-sonnet-4-6")
        #expect(body["max_tokens"] != nil)
        // No group and no key of the app's own: the automatic route picks a key of another family.
        let automatic = try Self.plan(app, keys: [Self.key(.gemini)])
        #expect(automatic.kind == .translate && automatic.target.id == .gemini)
        #expect(automatic.pathAndQuery.hasPrefix("/v1beta/models/"))
    }

    @Test func refusalsCarryTheirCodes() {
        let app = Self.request(.anthropic, "/v1/messages", Self.anthropicBody)
        #expect(
            Self.code { try Self.plan(Self.request("acme", "/v1/x", "{}"), granted: ["acme"], keys: []) } == "NOT_FOUND"
        )
        #expect(
            Self.code { try Self.plan(app, granted: [.openai], keys: [Self.key(.anthropic)]) } == "PROVIDER_UNAVAILABLE"
        )
        #expect(Self.code { try Self.plan(app, keys: [Self.key(.anthropic)], limit: 10) } == "PAYLOAD_TOO_LARGE")
        #expect(Self.code { try Self.plan(app, keys: []) } == "NO_CREDENTIAL")
        #expect(
            Self.code { try Self.plan(app, group: Self.group(.anthropic, key: "gone"), keys: [Self.key(.anthropic)]) }
                == "NO_CREDENTIAL"
        )
    }

    @Test func receivedGiftsServeWhenPinnedOrWhenNoKeyCan() throws {
        let app = Self.request(.anthropic, "/v1/messages", Self.anthropicBody)
        let fallback = try Self.plan(app, keys: [], gifts: [Self.gift(.anthropic)])
        guard case .receivedGift(let gift) = fallback.source else { throw ByokyError(.internalError, "no gift") }
        #expect(gift.id == "gift-1" && fallback.pathAndQuery == "/v1/messages")
        let pinned = try Self.plan(
            app,
            group: Self.group(.anthropic, gift: "gift-1"),
            keys: [Self.key(.anthropic)],
            gifts: [Self.gift(.anthropic)]
        )
        guard case .receivedGift = pinned.source else { throw ByokyError(.internalError, "the pin was ignored") }
        let ownKeyFirst = try Self.plan(app, keys: [Self.key(.anthropic)], gifts: [Self.gift(.anthropic)])
        guard case .credential = ownKeyFirst.source else { throw ByokyError(.internalError, "a gift beat the key") }

        #expect(
            Self.code { try Self.plan(app, keys: [], gifts: [Self.gift(.anthropic, ended: .revoked)]) }
                == "GIFT_REVOKED"
        )
        #expect(
            Self.code { try Self.plan(app, keys: [], gifts: [Self.gift(.anthropic, expiresAt: Self.now - 1)]) }
                == "GIFT_EXPIRED"
        )
        let ollama = Self.request(.ollama, "/v1/chat/completions", Self.openAIBody)
        #expect(Self.code { try Self.plan(ollama, keys: [], gifts: [Self.gift(.ollama)]) } == "PROVIDER_UNAVAILABLE")
    }
}
