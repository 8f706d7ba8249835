import ByokyCore
import Testing

/// The endpoints the wallet refuses: those that would hand an app a credential of the owner's
/// (to every app), and those that spend tokens it cannot meter (to an app under a cap).
struct UnservedEndpointTests {
    @Test(arguments: [
        ("POST", "/v1/realtime/client_secrets", APIFamily?.some(.openai)),
        ("post", "/v1/realtime/client_secrets", .openai),
        ("POST", "/v1/realtime/sessions", .openai),
        ("POST", "/v1/realtime/transcription_sessions", .openai),
        ("POST", "/openai/v1/realtime/client_secrets", .openai),
        ("POST", "/openai/realtimeapi/sessions", .openai),
        ("POST", "/v1/realtime/client_secrets", nil),
        ("POST", "/v1alpha/auth_tokens", .gemini),
    ])
    func credentialMintingIsRecognized(method: String, path: String, family: APIFamily?) {
        #expect(CredentialMintingEndpoint.matches(method: method, path: path, family: family))
    }

    @Test(arguments: [
        ("GET", "/v1/realtime/sessions", APIFamily?.some(.openai)),
        ("POST", "/v1/realtime/calls", .openai),
        ("POST", "/v1/chat/completions", .openai),
        ("POST", "/v1/realtime/client_secrets", .anthropic),
        ("POST", "/v1/realtime/client_secrets/x", .openai),
        ("POST", "/v1beta/models/gemini-2.5-flash:generateContent", .gemini),
    ])
    func otherRequestsMintNothing(method: String, path: String, family: APIFamily?) {
        #expect(!CredentialMintingEndpoint.matches(method: method, path: path, family: family))
    }

    @Test(arguments: [
        ("POST", "/v1/batches", APIFamily?.some(.openai)),
        ("post", "/openai/v1/batches", .openai),
        ("POST", "/v1/fine_tuning/jobs", .openai),
        ("POST", "/v1/evals/eval_1/runs", .openai),
        ("POST", "/v1/realtime/calls", .openai),
        ("POST", "/v1/batches", nil),
        ("POST", "/v1/messages/batches", .anthropic),
        ("POST", "/v1beta/models/gemini-2.5-flash:batchGenerateContent", .gemini),
        ("POST", "/v1/embed-jobs", .cohere),
        ("POST", "/v1/videos", .openai),
        ("POST", "/v1/videos/video_1/remix", .openai),
        ("POST", "/openai/v1/containers", .openai),
        ("POST", "/v1beta/models/veo-3.1-generate-preview:predictLongRunning", .gemini),
        ("POST", "/v1/vector_stores", .openai),
        ("POST", "/v1/vector_stores/vs_1/files", .openai),
        ("POST", "/v1/vector_stores/vs_1/file_batches", .openai),
        ("POST", "/v1beta/cachedContents", .gemini),
        ("POST", "/v1/cachedContents", .gemini),
        ("PATCH", "/v1beta/cachedContents/cache-1", .gemini),
        ("patch", "/v1/cachedContents/cache-1", .gemini),
        ("POST", "/upload/v1beta/fileSearchStores/store-1:uploadToFileSearchStore", .gemini),
        ("POST", "/v1beta/fileSearchStores/store-1:importFile", .gemini),
    ])
    func unmeteredSpendIsRecognized(method: String, path: String, family: APIFamily?) {
        #expect(UnmeteredSpend.matches(method: method, path: path, family: family))
    }

    @Test(arguments: [
        ("GET", "/v1/batches", APIFamily?.some(.openai)),
        ("POST", "/v1/batches/batch_1/cancel", .openai),
        ("POST", "/v1/jobs", .openai),
        ("POST", "/v1/runs", .openai),
        ("POST", "/v1/chat/completions", .openai),
        ("POST", "/v1/messages", .anthropic),
        ("POST", "/v1/messages/batches/msgbatch_1/cancel", .anthropic),
        ("POST", "/v1beta/models/gemini-2.5-flash:generateContent", .gemini),
        ("POST", "/v2/chat", .cohere),
        ("GET", "/v1/videos/video_1/content", .openai),
        ("POST", "/v1/containers/cntr_1/files", .openai),
        ("POST", "/v1beta/models/imagen-4.0-generate-001:predict", .gemini),
        ("GET", "/v1beta/cachedContents/cache-1", .gemini),
        ("DELETE", "/v1beta/cachedContents/cache-1", .gemini),
        ("PATCH", "/v1beta/cachedContents", .gemini),
        ("PATCH", "/v1beta/cachedContents/", .gemini),
        ("PATCH", "/v1beta/cachedContents/cache-1", .openai),
        ("POST", "/v1beta/cachedContents/cache-1/x", .gemini),
        ("POST", "/v1beta/fileSearchStores", .gemini),
        ("GET", "/v1/vector_stores", .openai),
        ("POST", "/v1/vector_stores/vs_1/search", .openai),
    ])
    func meteredRequestsAreNotUnmeteredSpend(method: String, path: String, family: APIFamily?) {
        #expect(!UnmeteredSpend.matches(method: method, path: path, family: family))
    }
}

/// The byte-wise suffix test the request path's endpoint checks use agrees with `hasSuffix` on
/// paths, and needs the whole suffix.
struct ByteSuffixTests {
    @Test(arguments: [
        "/v1/messages", "/anthropic/v1/messages", "/v1/message", "messages", "", "/v1/messages/",
        "/ü/v1/messages", "/v1/méssages",
    ])
    func agreesWithHasSuffix(path: String) {
        #expect(path.hasByteSuffix("/v1/messages") == path.hasSuffix("/v1/messages"), "\(path)")
        #expect(path.dropFirst().hasByteSuffix("/messages") == path.dropFirst().hasSuffix("/messages"), "\(path)")
    }
}
