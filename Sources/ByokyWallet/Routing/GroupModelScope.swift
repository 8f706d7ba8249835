import ByokyCore

/// The requests in which a group's model takes the place of the app's: those that generate with a
/// model or count its tokens (a chat, a completion, a Responses call, Gemini's generate and count
/// methods, Anthropic's count, a local server's chat and generate). Every other request
/// (embeddings, images, audio, moderation, files, batches) keeps the app's own model: a group's
/// chat model there is refused by the provider, or answers something other than the app asked.
enum GroupModelScope {
    /// Whether a group's model replaces the app's in a request to `path` (without its query) of
    /// `family`'s API (`nil` for a local server: OpenAI's paths, and Ollama's `/api/chat` and
    /// `/api/generate`).
    static func covers(path: String, family: APIFamily?) -> Bool {
        switch family {
        case .anthropic?:
            return path.hasByteSuffix("/v1/messages") || path.hasByteSuffix("/v1/messages/count_tokens")
        case .cohere?:
            return path.hasByteSuffix("/v2/chat") || path.hasByteSuffix("/v1/chat")
        case .gemini?:
            guard path.contains("/models/"), let colon = path.lastIndex(of: ":") else { return false }
            return geminiMethods.contains(String(path[path.index(after: colon)...]))
        case .openai?:
            return OpenAIEndpoint.isCompletions(path: path) || OpenAIEndpoint.isResponses(path: path)
        case nil:
            return OpenAIEndpoint.isCompletions(path: path) || OpenAIEndpoint.isResponses(path: path)
                || path.hasByteSuffix("/api/chat") || path.hasByteSuffix("/api/generate")
        }
    }

    private static let geminiMethods: Set<String> = ["generateContent", "streamGenerateContent", "countTokens"]
}
