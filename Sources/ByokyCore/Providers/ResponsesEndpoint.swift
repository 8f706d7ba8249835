/// OpenAI's Responses API (`…/responses`, and a stored response's `…/responses/{id}`,
/// `…/input_items`, `…/cancel`) where the OpenAI-family providers that serve it place it: beside
/// their Chat Completions (`/v1/responses` at OpenAI, xAI and Azure OpenAI's v1 API,
/// `/openai/v1/responses` at Groq, `/inference/v1/responses` at Fireworks, `/api/v1/responses` at
/// OpenRouter). The others (Mistral, DeepSeek, Perplexity, Together) serve Chat Completions only.
public enum ResponsesEndpoint {
    /// The providers that serve the Responses API.
    public static let providers: Set<ProviderID> = [.openai, .azureOpenAI, .xai, .groq, .fireworks, .openrouter]

    /// `path` (an app's request to `requested`, under its prefix, without the query) moved to the
    /// same place of `target`'s API, when it is a Responses API path and both serve the API;
    /// `nil` otherwise.
    public static func moved(_ path: String, from requested: Provider, to target: Provider) -> String? {
        guard providers.contains(requested.id), providers.contains(target.id),
            let from = base(of: requested), let to = base(of: target), path.hasPrefix(from)
        else { return nil }
        let rest = path.dropFirst(from.count)
        guard rest == "responses" || rest.hasPrefix("responses/") else { return nil }
        return to + rest
    }

    /// Where the provider's OpenAI API begins: its chat path up to `chat/completions`.
    private static func base(of provider: Provider) -> String? {
        guard let chat = provider.chatPath, chat.hasSuffix("chat/completions") else { return nil }
        return String(chat.dropLast("chat/completions".count))
    }
}
