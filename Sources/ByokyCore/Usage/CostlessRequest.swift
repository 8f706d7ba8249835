/// Requests that cannot spend tokens: reading or deleting (model lists and look-ups, files,
/// batches: `GET`, `HEAD`, `OPTIONS`, `DELETE`), counting tokens (Anthropic's
/// `/v1/messages/count_tokens`, Gemini's `:countTokens`, OpenAI's `/v1/responses/input_tokens`,
/// Cohere's `/v1/tokenize` and `/v1/detokenize`) and uploading files, which a provider stores and
/// no model reads until a later request names them (that request is metered).
///
/// No token budget is held for them and none refuses them: their answers carry no usage, and a
/// request whose usage is unknown is charged everything it held (a model list would otherwise
/// cost an app with a cap a whole answer's worth of tokens, and a few of them its whole cap).
public enum CostlessRequest {
    /// Whether `method path` (an app's request under its provider's prefix, without the query),
    /// in `family`'s API (`nil` for a provider of no family, a local server), spends no tokens;
    /// with the `provider` that serves it, also whether that provider serves it free of charge
    /// (``isFreeOfCharge(method:path:provider:)``).
    public static func matches(
        method: String,
        path: Substring,
        family: APIFamily?,
        provider: ProviderID? = nil
    ) -> Bool {
        switch method {
        case "GET", "HEAD", "OPTIONS", "DELETE": return true
        case "POST":
            if let provider, isFreeOfCharge(method: method, path: path, provider: provider) { return true }
            return family.map { isTokenCount(path: path, family: $0) || isFileUpload(path: path, family: $0) } ?? false
        default: return false
        }
    }

    /// Whether `path` uploads a file (asked with a `POST`): the OpenAI family's `…/files` (OpenAI,
    /// Azure, Groq, Together, Mistral), `…/uploads` and an upload's `…/uploads/{id}/parts`,
    /// `complete` and `cancel`; Anthropic's `/v1/files`; Gemini's `/upload/v1beta/files` and
    /// `/v1beta/files` (or under `v1`). Before, an upload held a cap's worst case (a token for
    /// every four bytes, plus a whole answer) and, its answer reporting no usage, was charged all
    /// of it: a capped app could not upload a file four times its cap's size.
    public static func isFileUpload(path: Substring, family: APIFamily) -> Bool {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path.first == "/", let last = segments.last else { return false }
        switch family {
        case .openai:
            if last == "files" || last == "uploads" { return segments.count >= 2 }
            let count = segments.count
            return count >= 3 && segments[segments.startIndex + count - 3] == "uploads"
                && !segments[segments.startIndex + count - 2].isEmpty
                && (last == "parts" || last == "complete" || last == "cancel")
        case .anthropic:
            return path == "/v1/files"
        case .gemini:
            return path == "/upload/v1beta/files" || path == "/upload/v1/files" || path == "/v1beta/files"
                || path == "/v1/files"
        case .cohere:
            return false
        }
    }

    /// Whether `method path` (the path under the provider's prefix, without the query) is free of
    /// charge at `provider` itself: OpenAI's moderations (`POST /v1/moderations`), served by free
    /// models whose answers carry no usage. Before, a capped app was charged each check's whole
    /// hold (its bytes and an answer's worth), so checking every message cost as much as
    /// sending it. Mistral's moderations, at a path of the same name, are charged.
    public static func isFreeOfCharge(method: String, path: Substring, provider: ProviderID) -> Bool {
        method == "POST" && provider == .openai && path == "/v1/moderations"
    }

    /// Whether `path` is one of `family`'s token-counting endpoints (asked with a `POST`).
    public static func isTokenCount(path: Substring, family: APIFamily) -> Bool {
        switch family {
        case .anthropic:
            return path == "/v1/messages/count_tokens"
        case .openai:
            // `/v1/responses/input_tokens`, or under a provider's own prefix (`/openai/v1/…`).
            return path.hasByteSuffix("/v1/responses/input_tokens")
        case .cohere:
            return path == "/v1/tokenize" || path == "/v1/detokenize"
        case .gemini:
            // `/v1beta/models/{model}:countTokens` (or under `/v1`).
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            guard segments.count == 4, segments[0].isEmpty, segments[1].hasPrefix("v1"), segments[2] == "models"
            else { return false }
            let action = segments[3]
            return action.hasSuffix(":countTokens") && action.count > ":countTokens".count
        }
    }
}
