/// Requests that cannot spend tokens: reading or deleting (model lists and look-ups, files,
/// batches, stored responses: `GET`, `HEAD`, `OPTIONS`, `DELETE`), counting tokens (Anthropic's
/// `/v1/messages/count_tokens`, Gemini's `:countTokens`, OpenAI's `/v1/responses/input_tokens`,
/// Cohere's `/v1/tokenize` and `/v1/detokenize`), uploading files, which a provider stores and
/// no model reads until a later request names them (that request is metered), and managing what
/// a provider keeps (``isStoredObjectManagement(path:provider:)``: a cancel, a stored answer's
/// metadata, a conversation's items).
///
/// No token budget is held for them, none refuses them, and none is charged: a request whose
/// usage is unknown is charged everything it held (a model list would otherwise cost an app with
/// a cap a whole answer's worth of tokens, and a few of them its whole cap), and an answer that
/// describes an earlier one carries that one's usage (a stored response read back, a batch polled),
/// which was spent, and counted, once.
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
            if let provider,
                isFreeOfCharge(method: method, path: path, provider: provider)
                    || isStoredObjectManagement(path: path, provider: provider)
            {
                return true
            }
            return family.map { isTokenCount(path: path, family: $0) || isFileUpload(path: path, family: $0) } ?? false
        default: return false
        }
    }

    /// Whether `path` uploads a file (asked with a `POST`): the OpenAI family's `…/files` (OpenAI,
    /// Azure, Groq, Together, Mistral), `…/uploads` and an upload's `…/uploads/{id}/parts`,
    /// `complete` and `cancel`; Anthropic's `/v1/files`; Gemini's `/upload/v1beta/files` and
    /// `/v1beta/files` (or under `v1`). Before, an upload held a cap's worst case (a token for
    /// every four bytes, plus a whole answer) and, its answer reporting no usage, was charged all
    /// of it: a capped app could not upload a file four times its cap's size. A vector store's
    /// files are not uploads: the store keeps them indexed, billed by the day
    /// (``UnmeteredSpend``).
    public static func isFileUpload(path: Substring, family: APIFamily) -> Bool {
        guard path.utf8.first == UInt8(ascii: "/") else { return false }
        switch family {
        case .openai:
            // Read from the end: no list of segments is made on the request path.
            let tail = PathTail(path)
            if tail.last == "files" || tail.last == "uploads" {
                // Under a segment of its own (`/v1/files`, not `/files`); not a vector store's.
                guard let parent = tail.third else { return false }
                return tail.last == "uploads" || parent != "vector_stores"
            }
            guard tail.last == "parts" || tail.last == "complete" || tail.last == "cancel",
                let id = tail.before, !id.isEmpty
            else { return false }
            return tail.third == "uploads"
        case .anthropic:
            return path == "/v1/files"
        case .gemini:
            return path == "/upload/v1beta/files" || path == "/upload/v1/files" || path == "/v1beta/files"
                || path == "/v1/files"
        case .cohere:
            return false
        }
    }

    /// Whether `path` (asked with a `POST`) manages what `provider` itself keeps and runs no
    /// model: OpenAI's (and Azure's) cancels of a background response, a batch or a fine-tuning
    /// job (and its pause and resume), the update of a stored chat completion's metadata
    /// (`…/chat/completions/{id}`), and conversations (`…/conversations`, `…/conversations/{id}`,
    /// `…/conversations/{id}/items`); Anthropic's cancel of a message batch; Gemini's cancel of a
    /// batch (`…/batches/{id}:cancel`). Their answers carry no usage, or an earlier answer's
    /// (a cancelled response, a stored completion): before, a capped app was charged a whole
    /// hold for each, or that earlier answer's tokens again.
    ///
    /// Named for the provider that serves them, as OpenAI's free moderations are: a provider of
    /// the same family that ran a model at one of these paths would otherwise serve it unheld.
    public static func isStoredObjectManagement(path: Substring, provider: ProviderID) -> Bool {
        guard path.utf8.first == UInt8(ascii: "/") else { return false }
        switch provider {
        case .openai, .azureOpenAI:
            let tail = PathTail(path)
            let (last, before, third) = (tail.last, tail.before, tail.third)
            guard !last.isEmpty, let before else { return false }
            if last == "conversations" || before == "conversations" { return true }
            if last == "items", third == "conversations", !before.isEmpty { return true }
            if before == "completions", third == "chat" { return true }
            guard !before.isEmpty else { return false }
            switch last {
            case "cancel":
                return third == "responses" || third == "batches" || (third == "jobs" && tail.fourth == "fine_tuning")
            case "pause", "resume":
                return third == "jobs" && tail.fourth == "fine_tuning"
            default: return false
            }
        case .anthropic:
            // `/v1/messages/batches/{id}/cancel`.
            guard path.hasByteSuffix("/cancel"), path.hasPrefix("/v1/messages/batches/") else { return false }
            let tail = PathTail(path)
            return tail.third == "batches" && tail.fourth == "messages" && tail.before?.isEmpty == false
        case .gemini:
            // `/v1beta/batches/{id}:cancel` (or under `/v1`).
            guard path.hasByteSuffix(":cancel"), path.hasPrefix("/v1") else { return false }
            let tail = PathTail(path)
            return tail.before == "batches" && tail.third?.hasPrefix("v1") == true && tail.fourth == ""
                && tail.last.utf8.count > ":cancel".utf8.count
        default:
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
            // `/v1beta/models/{model}:countTokens` (or under `/v1`). Every request asks this:
            // only a path with the method's name is split into segments.
            guard path.hasByteSuffix(":countTokens") else { return false }
            let segments = path.split(separator: "/", omittingEmptySubsequences: false)
            guard segments.count == 4, segments[0].isEmpty, segments[1].hasPrefix("v1"), segments[2] == "models"
            else { return false }
            let action = segments[3]
            return action.hasSuffix(":countTokens") && action.count > ":countTokens".count
        }
    }
}
