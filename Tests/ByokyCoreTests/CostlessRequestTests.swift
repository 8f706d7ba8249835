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
        ("POST", "/v1/containers/cntr_1/files", .openai),
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
        ("POST", "/v1/vector_stores/vs_1/files", .openai),
        ("POST", "/v1/vector_stores/vs_1/file_batches", .openai),
        ("POST", "/v1/responses/resp_1/cancel", .openai),
        ("POST", "/v1/conversations", .openai),
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

    /// Managing what a provider keeps runs no model there: cancels, a stored completion's
    /// metadata, conversations and their items. Each is named for the provider that serves it.
    @Test(arguments: [
        ("/v1/responses/resp_1/cancel", ProviderID.openai),
        ("/v1/batches/batch_1/cancel", .openai),
        ("/v1/fine_tuning/jobs/ftjob_1/cancel", .openai),
        ("/v1/fine_tuning/jobs/ftjob_1/pause", .openai),
        ("/v1/fine_tuning/jobs/ftjob_1/resume", .openai),
        ("/v1/chat/completions/chatcmpl_1", .openai),
        ("/v1/conversations", .openai),
        ("/v1/conversations/conv_1", .openai),
        ("/v1/conversations/conv_1/items", .openai),
        ("/openai/v1/responses/resp_1/cancel", .azureOpenAI),
        ("/openai/v1/chat/completions/chatcmpl_1", .azureOpenAI),
        ("/v1/messages/batches/msgbatch_1/cancel", .anthropic),
        ("/v1beta/batches/batch-1:cancel", .gemini),
        ("/v1/batches/batch-1:cancel", .gemini),
    ])
    func managingStoredObjectsSpendsNothing(path: String, provider: ProviderID) {
        let family = ProviderRegistry.provider(provider)?.family
        #expect(CostlessRequest.isStoredObjectManagement(path: path[...], provider: provider))
        #expect(CostlessRequest.matches(method: "POST", path: path[...], family: family, provider: provider))
    }

    /// The same paths at a provider that is not their owner, and paths that only look like them,
    /// are metered: a chat, a chat with a trailing slash, a job that is not fine-tuning's.
    @Test(arguments: [
        ("/v1/responses/resp_1/cancel", ProviderID.groq),
        ("/v1/chat/completions/chatcmpl_1", .together),
        ("/v1/conversations", .mistral),
        ("/v1/chat/completions", .openai),
        ("/v1/chat/completions/", .openai),
        ("/v1/responses", .openai),
        ("/v1/responses/cancel", .openai),
        ("/v1/responses//cancel", .openai),
        ("/v1/jobs/job_1/cancel", .openai),
        ("/v1/fine_tuning/jobs", .openai),
        ("/v1/conversations/conv_1/items/x", .openai),
        ("/v1/messages", .anthropic),
        ("/v1/messages/batches", .anthropic),
        ("/x/v1/messages/batches/msgbatch_1/cancel", .anthropic),
        ("/v1/messages/batches//cancel", .anthropic),
        ("/v1beta/batches/:cancel", .gemini),
        ("/v1beta/models/gemini-2.5-flash:generateContent", .gemini),
        ("/v1beta/batches/batch-1:cancel", .openai),
        ("v1/conversations", .openai),
    ])
    func lookalikesOfManagementAreMetered(path: String, provider: ProviderID) {
        let family = ProviderRegistry.provider(provider)?.family
        #expect(!CostlessRequest.isStoredObjectManagement(path: path[...], provider: provider), "\(path)")
        #expect(
            !CostlessRequest.matches(method: "POST", path: path[...], family: family, provider: provider),
            "\(path)"
        )
    }
}

/// A path's segments read from its end.
struct PathSegmentsTests {
    @Test func segmentsComeFromTheEnd() {
        let path: Substring = "/v1/files"
        #expect(PathSegments.segment(0, fromEndOf: path) == "files")
        #expect(PathSegments.segment(1, fromEndOf: path) == "v1")
        #expect(PathSegments.segment(2, fromEndOf: path) == "")
        #expect(PathSegments.segment(3, fromEndOf: path) == nil)
        #expect(PathSegments.segment(0, fromEndOf: "/v1/") == "")
        #expect(PathSegments.segment(1, fromEndOf: "/v1/") == "v1")
        #expect(PathSegments.segment(0, fromEndOf: "") == "")
        #expect(PathSegments.segment(1, fromEndOf: "") == nil)
        #expect(PathSegments.segment(1, fromEndOf: "a//b") == "")
        #expect(PathSegments.segment(2, fromEndOf: "a//b") == "a")
    }

    /// Agrees with a split of the whole path, for every segment of assorted paths.
    @Test(arguments: ["/v1/chat/completions", "//x//", "/", "a", "/ü/é/v1", "/v1/messages/batches/m/cancel"])
    func agreesWithSplit(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        for index in 0..<(segments.count + 2) {
            let expected = index < segments.count ? segments[segments.count - 1 - index] : nil
            #expect(PathSegments.segment(index, fromEndOf: path[...]) == expected, "\(path) \(index)")
        }
    }
}
