/// The endpoints that turn text into vectors: their answers carry no output tokens.
public enum EmbeddingsEndpoint {
    /// Whether `path` (without its query) in `family`'s API (`nil` for a local server) asks for
    /// embeddings: the OpenAI family's `…/embeddings` (OpenAI, Azure, Mistral, Together, a local
    /// server's `/v1/embeddings`), Gemini's `:embedContent` and `:batchEmbedContents`, Cohere's
    /// `/v1/embed` and `/v2/embed`, Ollama's `/api/embed` and `/api/embeddings`.
    public static func matches(path: some StringProtocol, family: APIFamily?) -> Bool {
        switch family {
        case .openai?:
            return path.hasByteSuffix("/embeddings")
        case nil:
            return path.hasByteSuffix("/embeddings") || path.hasByteSuffix("/api/embed")
        case .gemini?:
            return path.contains("/models/")
                && (path.hasByteSuffix(":embedContent") || path.hasByteSuffix(":batchEmbedContents"))
        case .cohere?:
            return path == "/v1/embed" || path == "/v2/embed"
        case .anthropic?:
            return false
        }
    }
}
