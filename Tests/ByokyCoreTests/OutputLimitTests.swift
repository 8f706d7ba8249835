import ByokyCore
import Testing

/// The wallet writes an output limit where each provider reads it, lowers a limit the body names
/// (never raises it) and keeps the rest of the body.
struct OutputLimitTests {
    static func limited(
        _ body: String,
        _ provider: ProviderID,
        _ path: String,
        query: String = "",
        limit: Int = 700
    ) throws -> JSONObject {
        let family = ProviderRegistry.provider(provider)?.family
        let bytes = try #require(
            OutputLimit.setting(
                limit,
                in: Array(body.utf8),
                provider: provider,
                family: family,
                path: path,
                query: query
            )
        )
        guard case .object(let object) = try JSONNode.parse(bytes) else {
            Issue.record("not an object")
            return JSONObject()
        }
        return object
    }

    struct Case: Sendable, CustomStringConvertible {
        let provider: ProviderID
        let path: String
        var query = ""
        let member: String
        var description: String { "\(provider) \(path)?\(query) → \(member)" }
    }

    static let cases: [Case] = [
        Case(provider: .anthropic, path: "/v1/messages", member: "max_tokens"),
        Case(provider: .openai, path: "/v1/chat/completions", member: "max_completion_tokens"),
        Case(provider: .openai, path: "/v1/responses", member: "max_output_tokens"),
        Case(provider: .groq, path: "/openai/v1/chat/completions", member: "max_tokens"),
        Case(provider: .mistral, path: "/v1/chat/completions", member: "max_tokens"),
        Case(provider: .xai, path: "/v1/chat/completions", member: "max_tokens"),
        Case(provider: .deepseek, path: "/chat/completions", member: "max_tokens"),
        Case(provider: .openrouter, path: "/api/v1/chat/completions", member: "max_tokens"),
        Case(provider: .ollama, path: "/v1/chat/completions", member: "max_tokens"),
        Case(provider: .cohere, path: "/v2/chat", member: "max_tokens"),
        Case(provider: .cohere, path: "/v1/chat", member: "max_tokens"),
        Case(
            provider: .azureOpenAI,
            path: "/openai/deployments/prod/chat/completions",
            query: "api-version=2024-10-21",
            member: "max_completion_tokens"
        ),
        Case(
            provider: .azureOpenAI,
            path: "/openai/deployments/prod/chat/completions",
            query: "api-version=2024-06-01",
            member: "max_tokens"
        ),
        Case(
            provider: .azureOpenAI,
            path: "/openai/deployments/prod/chat/completions",
            query: "foo=1&api-version=2025-04-01-preview",
            member: "max_completion_tokens"
        ),
        Case(provider: .azureOpenAI, path: "/openai/v1/chat/completions", member: "max_completion_tokens"),
    ]

    @Test(arguments: cases)
    func eachProviderGetsItsOwnMember(_ check: Case) throws {
        let body = #"{"model":"m","temperature":0.70,"messages":[{"role":"user","content":"Hi"}]}"#
        let object = try Self.limited(body, check.provider, check.path, query: check.query)
        #expect(object[check.member] == .int(700))
        // Nothing else is added, and what was there stays as written.
        #expect(object.count == 4)
        #expect(object["temperature"] == .number("0.70"))
        #expect(object["messages"] != nil)
    }

    @Test func aLimitTheBodyNamesIsLoweredNeverRaised() throws {
        let translated = #"{"model":"m","max_tokens":4096,"messages":[]}"#
        #expect(try Self.limited(translated, .openai, "/v1/chat/completions", limit: 700)["max_tokens"] == .int(700))
        let lower = try Self.limited(translated, .openai, "/v1/chat/completions", limit: 9_000)
        #expect(lower["max_tokens"] == .int(4096))
        // No second member is added beside the one named.
        #expect(lower["max_completion_tokens"] == nil)
        // A name given twice is left once, at the smaller of the largest and the limit.
        let twice = #"{"model":"m","max_tokens":100000,"messages":[],"max_tokens":300}"#
        let object = try Self.limited(twice, .anthropic, "/v1/messages", limit: 700)
        #expect(object.members.filter { $0.key == "max_tokens" }.map(\.value) == [.int(700)])
    }

    /// Anthropic refuses a thinking budget at or above `max_tokens` (and one under 1,024).
    @Test func anAnthropicThinkingBudgetStaysBelowTheLimit() throws {
        let thinking =
            #"{"model":"m","max_tokens":32000,"thinking":{"type":"enabled","budget_tokens":8000},"messages":[]}"#
        let lowered = try Self.limited(thinking, .anthropic, "/v1/messages", limit: 5_000)
        #expect(lowered["max_tokens"] == .int(5_000))
        #expect(lowered["thinking"]?["budget_tokens"] == .int(4_999))
        #expect(lowered["thinking"]?["type"] == .string("enabled"))
        let kept = try Self.limited(thinking, .anthropic, "/v1/messages", limit: 20_000)
        #expect(kept["thinking"]?["budget_tokens"] == .int(8_000))
        let dropped = try Self.limited(thinking, .anthropic, "/v1/messages", limit: 900)
        #expect(dropped["thinking"] == nil && dropped["max_tokens"] == .int(900))
        let adaptive = #"{"model":"m","thinking":{"type":"adaptive"},"messages":[]}"#
        #expect(try Self.limited(adaptive, .anthropic, "/v1/messages", limit: 900)["thinking"] != nil)
    }

    @Test func geminiTakesItInItsGenerationConfigInEitherSpelling() throws {
        let path = "/v1beta/models/gemini-2.5-flash:streamGenerateContent"
        let bare = try Self.limited(#"{"contents":[]}"#, .gemini, path)
        #expect(bare["generationConfig"]?["maxOutputTokens"] == .int(700))
        let camel = try Self.limited(#"{"contents":[],"generationConfig":{"temperature":1}}"#, .gemini, path)
        #expect(camel["generationConfig"]?["maxOutputTokens"] == .int(700))
        #expect(camel["generationConfig"]?["temperature"] == .number("1"))
        let snake = try Self.limited(#"{"contents":[],"generation_config":{"candidate_count":2}}"#, .gemini, path)
        #expect(snake["generationConfig"] == nil)
        #expect(snake["generation_config"]?["maxOutputTokens"] == .int(700))
        let named = try Self.limited(
            #"{"contents":[],"generation_config":{"max_output_tokens":90000}}"#,
            .gemini,
            "/v1beta/models/x:generateContent"
        )
        #expect(named["generation_config"]?["max_output_tokens"] == .int(700))
        #expect(named["generation_config"]?["maxOutputTokens"] == nil)
    }

    @Test func anEndpointThatWritesNoTextALegacyCompletionOrABodyThatIsNoObjectTakesNone() {
        func set(_ body: String, _ provider: ProviderID, _ path: String) -> [UInt8]? {
            OutputLimit.setting(
                700,
                in: Array(body.utf8),
                provider: provider,
                family: ProviderRegistry.provider(provider)?.family,
                path: path,
                query: ""
            )
        }
        #expect(set(#"{"input":"x","model":"m"}"#, .openai, "/v1/embeddings") == nil)
        // A legacy completion writes 16 tokens unless it names a limit: the wallet never sets one.
        #expect(set(#"{"model":"m","prompt":"Once"}"#, .openai, "/v1/completions") == nil)
        #expect(set(#"{"input":"x","model":"m"}"#, .openai, "/v1/audio/speech") == nil)
        #expect(set(#"{"messages":[]}"#, .anthropic, "/v1/messages/count_tokens") == nil)
        #expect(set(#"{"contents":[]}"#, .gemini, "/v1beta/models/x:countTokens") == nil)
        #expect(set("[1,2]", .openai, "/v1/chat/completions") == nil)
        #expect(set("{broken", .openai, "/v1/chat/completions") == nil)
    }
}
