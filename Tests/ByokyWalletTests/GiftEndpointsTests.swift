import ByokyCore
import Testing

@testable import ByokyWallet

/// What a gift serves, in every family and under providers' own path prefixes: chats, embeddings,
/// token counts and the model list; nothing else of the giver's account.
struct GiftEndpointsTests {
    static func serves(_ method: String, _ path: String, _ provider: ProviderID) throws -> Bool {
        GiftEndpoints.serves(method: method, pathAndQuery: path, of: try #require(ProviderRegistry.provider(provider)))
    }

    @Test(arguments: [
        ("POST", "/v1/messages", ProviderID.anthropic), ("POST", "/v1/messages/count_tokens", .anthropic),
        ("GET", "/v1/models", .anthropic), ("GET", "/v1/models/claude-sonnet-4-6", .anthropic),
        ("POST", "/v1/chat/completions", .openai), ("POST", "/v1/embeddings", .openai),
        ("POST", "/v1/responses", .openai), ("POST", "/v1/responses/input_tokens", .openai),
        ("GET", "/v1/models", .openai), ("GET", "/v1/models/gpt-5.5", .openai),
        ("POST", "/openai/v1/chat/completions", .groq), ("GET", "/openai/v1/models", .groq),
        ("POST", "/chat/completions", .perplexity),
        ("POST", "/inference/v1/chat/completions", .fireworks),
        ("POST", "/v1beta/models/gemini-2.5-flash:generateContent", .gemini),
        ("POST", "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", .gemini),
        ("POST", "/v1beta/models/gemini-2.5-flash:countTokens", .gemini),
        ("POST", "/v1beta/models/text-embedding-004:embedContent", .gemini),
        ("GET", "/v1beta/models", .gemini), ("GET", "/v1beta/models/gemini-2.5-flash", .gemini),
        ("POST", "/v2/chat", .cohere), ("POST", "/v2/embed", .cohere), ("POST", "/v1/tokenize", .cohere),
        ("GET", "/v1/models", .cohere),
    ])
    func serves(method: String, path: String, provider: ProviderID) throws {
        #expect(try Self.serves(method, path, provider))
    }

    @Test(arguments: [
        ("GET", "/v1/messages/batches", ProviderID.anthropic), ("POST", "/v1/messages/batches", .anthropic),
        ("GET", "/v1/messages/batches/b1/results", .anthropic), ("DELETE", "/v1/files/f1", .anthropic),
        ("GET", "/v1/files", .anthropic), ("GET", "/v1/messages", .anthropic), ("PUT", "/v1/messages", .anthropic),
        ("GET", "/v1/files/f1/content", .openai), ("POST", "/v1/files", .openai), ("POST", "/v1/batches", .openai),
        ("GET", "/v1/responses/resp_1", .openai), ("DELETE", "/v1/responses/resp_1", .openai),
        ("GET", "/v1/chat/completions", .openai), ("POST", "/v1/chat/completions/cmpl_1", .openai),
        ("POST", "/v1/fine_tuning/jobs", .openai), ("POST", "/v1/images/generations", .openai),
        ("POST", "/v1/audio/speech", .openai), ("GET", "/v1/organization/usage", .openai),
        ("POST", "/v1beta/cachedContents", .gemini), ("GET", "/v1beta/files", .gemini),
        ("POST", "/upload/v1beta/files", .gemini), ("POST", "/v1beta/tunedModels", .gemini),
        ("POST", "/v1/datasets", .cohere), ("GET", "/v1/connectors", .cohere),
    ])
    func refuses(method: String, path: String, provider: ProviderID) throws {
        #expect(try !Self.serves(method, path, provider))
    }
}
