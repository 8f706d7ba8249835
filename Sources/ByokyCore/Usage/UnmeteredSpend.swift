/// Requests that spend what the wallet cannot meter: the answer is a job or a call whose tokens
/// are spent later, elsewhere (a batch, a fine-tuning job, an eval run, a realtime call whose
/// media flows directly between the app and the provider), or a job billed by the second or by
/// the session rather than in tokens (a video from OpenAI's Sora or Gemini's Veo, a code
/// interpreter container), or what the provider keeps and bills by the hour or the day (Gemini's
/// context caches, billed for their tokens every hour they are kept; OpenAI's vector stores,
/// by the gigabyte a day), or indexes at a price no answer reports (Gemini's file search stores).
/// An app under a token cap is refused them: its cap could not hold. (A gift serves none of them
/// either.) Before, a video was held and charged a few thousand tokens, and a capped app could
/// make as many as it liked; a cache of a million tokens kept for a month was charged its hold once.
public enum UnmeteredSpend {
    /// Whether `method path` (the path under the provider's prefix, without its query) in
    /// `family`'s API (`nil` for a local server) is one of them.
    public static func matches(method: String, path: some StringProtocol, family: APIFamily?) -> Bool {
        // As sent upstream, whatever its case (the wallet upper-cases the method it sends).
        if HeaderText.name(method, is: "patch") {
            // A context cache's new expiry keeps it, and bills it, for longer.
            return family == .gemini && isGeminiCache(path, named: true)
        }
        guard HeaderText.name(method, is: "post") else { return false }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let last = segments.last else { return false }
        switch family {
        case .openai?, nil:
            // `…/batches`, `…/fine_tuning/jobs`, `…/evals/{id}/runs`, `…/realtime/calls`,
            // `…/videos` and `…/videos/{id}/remix`, `…/containers`.
            if last == "batches" || last == "videos" || last == "containers" || last == "vector_stores" {
                return true
            }
            guard segments.count >= 2 else { return false }
            let before = segments[segments.count - 2]
            // A vector store's files and batches of files, kept indexed and billed by the day.
            if last == "files" || last == "file_batches", segments.count >= 3,
                segments[segments.count - 3] == "vector_stores"
            {
                return true
            }
            if last == "jobs", before == "fine_tuning" { return true }
            if last == "calls", before == "realtime" { return true }
            if last == "remix", segments.count >= 3, segments[segments.count - 3] == "videos" { return true }
            return last == "runs" && segments.count >= 3 && segments[segments.count - 3] == "evals"
        case .anthropic?:
            return path == "/v1/messages/batches"
        case .gemini?:
            // Batches, and Veo's videos (`:predictLongRunning`, billed by the second).
            if path.contains("/models/"),
                path.hasByteSuffix(":batchGenerateContent") || path.hasByteSuffix(":asyncBatchEmbedContent")
                    || path.hasByteSuffix(":predictLongRunning")
            {
                return true
            }
            // A context cache made; a file indexed into a file search store (uploaded, or
            // imported from the Files API).
            return isGeminiCache(path, named: false)
                || (path.contains("/fileSearchStores/")
                    && (path.hasByteSuffix(":uploadToFileSearchStore") || path.hasByteSuffix(":importFile")))
        case .cohere?:
            // Cohere's embed jobs (`/v1/embed-jobs`) and fine-tuning (`/v1/finetuning/finetuned-models`).
            return path == "/v1/embed-jobs" || path == "/v1/finetuning/finetuned-models"
        }
    }

    /// Whether `path` is Gemini's collection of context caches (`/v1beta/cachedContents`, or
    /// under `/v1`), or with `named` one cache in it (`…/cachedContents/{id}`).
    private static func isGeminiCache(_ path: some StringProtocol, named: Bool) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == (named ? 4 : 3), segments[0].isEmpty, segments[1].hasPrefix("v1"),
            segments[2] == "cachedContents"
        else { return false }
        return !named || !segments[3].isEmpty
    }

    /// The refusal of such a request from an app under a cap.
    public static let refusalUnderCap = ByokyError(
        .providerUnavailable,
        "This app has a token cap, and this endpoint spends what the wallet cannot meter in tokens (a batch, a fine-tuning job, an eval run, a realtime call, a video, a container, a context cache or a vector store): ask the wallet's owner to lift the cap to use it"
    )
}
