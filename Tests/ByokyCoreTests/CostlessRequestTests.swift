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

/// A path's last segments, read from its end in one pass.
struct PathTailTests {
    @Test func segmentsComeFromTheEnd() {
        let tail = PathTail("/v1/files")
        #expect(tail.last == "files" && tail.before == "v1" && tail.third == "" && tail.fourth == nil)
        let slash = PathTail("/v1/")
        #expect(slash.last == "" && slash.before == "v1" && slash.third == "")
        let empty = PathTail("")
        #expect(empty.last == "" && empty.before == nil)
        let doubled = PathTail("a//b")
        #expect(doubled.last == "b" && doubled.before == "" && doubled.third == "a" && doubled.fourth == nil)
    }

    /// Agrees with a split of the whole path, for its last four segments, in assorted paths
    /// (one not contiguous in memory among them: a string's slice of a bridged or shared text).
    @Test(arguments: [
        "/v1/chat/completions", "//x//", "/", "a", "/ü/é/v1", "/v1/messages/batches/m/cancel", "/a/b/c/d/e/f",
    ])
    func agreesWithSplit(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let tail = PathTail(path[...])
        let found = [tail.last, tail.before, tail.third, tail.fourth]
        for index in 0..<4 {
            let expected = index < segments.count ? segments[segments.count - 1 - index] : nil
            #expect(found[index] == expected, "\(path) \(index)")
        }
        // A slice of a longer text reads the same.
        let longer = "/prefix" + path
        let slice = longer[longer.index(longer.startIndex, offsetBy: 7)...]
        let sliced = PathTail(slice)
        #expect([sliced.last, sliced.before, sliced.third, sliced.fourth] == found, "\(path)")
    }
}
