import ByokyCore
import Testing

/// Which requests spend no tokens (so no budget is held for them): reads, deletions and each
/// family's token counts; every other request, including ones that only look alike, is metered.
struct CostlessRequestTests {
    @Test(arguments: [
        ("GET", "/v1/chat/completions", APIFamily?.some(.openai)),
        ("HEAD", "/v1/models", .anthropic),
        ("OPTIONS", "/v1/messages", .anthropic),
        ("DELETE", "/v1/files/file-1", .openai),
        ("GET", "/api/tags", nil),
        ("POST", "/v1/messages/count_tokens", .anthropic),
        ("POST", "/v1beta/models/gemini-2.5-flash:countTokens", .gemini),
        ("POST", "/v1/models/gemini-2.5-flash:countTokens", .gemini),
        ("POST", "/v1/responses/input_tokens", .openai),
        ("POST", "/openai/v1/responses/input_tokens", .openai),
        ("POST", "/v1/tokenize", .cohere),
        ("POST", "/v1/detokenize", .cohere),
        ("POST", "/v1/files", .openai),
        ("POST", "/openai/v1/files", .openai),
        ("POST", "/openai/files", .openai),
        ("POST", "/v1/uploads", .openai),
        ("POST", "/v1/uploads/upload_1/parts", .openai),
        ("POST", "/v1/uploads/upload_1/complete", .openai),
        ("POST", "/v1/uploads/upload_1/cancel", .openai),
        ("POST", "/v1/vector_stores/vs_1/files", .openai),
        ("POST", "/v1/files", .anthropic),
        ("POST", "/upload/v1beta/files", .gemini),
        ("POST", "/v1beta/files", .gemini),
    ])
    func spendsNothing(method: String, path: String, family: APIFamily?) {
        #expect(CostlessRequest.matches(method: method, path: path[...], family: family))
    }

    @Test(arguments: [
        ("POST", "/v1/messages", APIFamily?.some(.anthropic)),
        ("PUT", "/v1/messages/count_tokens", .anthropic),
        ("POST", "/v1/messages/count_tokens/", .anthropic),
        ("POST", "/v1/messages/count_tokens", .openai),
        ("POST", "/v1/messages/count_tokens", nil),
        ("POST", "/v1beta/models/gemini-2.5-flash:generateContent", .gemini),
        ("POST", "/v1beta/models/:countTokens", .gemini),
        ("POST", "/v1beta/models/x/y:countTokens", .gemini),
        ("POST", "/v1beta/models/x:countTokensNow", .gemini),
        ("POST", "/v1/chat/completions", .openai),
        ("POST", "/v1/responses", .openai),
        ("POST", "/v2/chat", .cohere),
        ("PATCH", "/v1/files", .openai),
        ("POST", "/files", .openai),
        ("POST", "v1/files", .openai),
        ("POST", "/v1/uploads//parts", .openai),
        ("POST", "/v1/uploads/upload_1/parts/x", .openai),
        ("POST", "/v1/batches", .openai),
        ("POST", "/v1/fine_tuning/jobs", .openai),
        ("POST", "/v1/files", .cohere),
        ("POST", "/v1/files", nil),
        ("POST", "/v1/files/file_1/content", .anthropic),
        ("POST", "/v1/messages/batches", .anthropic),
        ("POST", "/v1beta/models/gemini-2.5-flash:embedContent", .gemini),
    ])
    func isMetered(method: String, path: String, family: APIFamily?) {
        #expect(!CostlessRequest.matches(method: method, path: path[...], family: family))
    }

    /// OpenAI's moderations are free at OpenAI only: Mistral charges for its own at the same path,
    /// and a check named without its provider is metered.
    @Test func moderationsAreFreeAtOpenAIAlone() {
        #expect(CostlessRequest.matches(method: "POST", path: "/v1/moderations", family: .openai, provider: .openai))
        #expect(!CostlessRequest.matches(method: "POST", path: "/v1/moderations", family: .openai, provider: .mistral))
        #expect(!CostlessRequest.matches(method: "POST", path: "/v1/moderations", family: .openai))
        #expect(
            !CostlessRequest.matches(method: "POST", path: "/v1/chat/completions", family: .openai, provider: .openai)
        )
    }
}
