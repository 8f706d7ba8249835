/// The 15 providers Byoky knows: 13 cloud providers and 2 local servers.
///
/// Facts follow the original extension's registry so that ids, paths and headers stay
/// wire-compatible; see `reference/byoky-core-relay-vault.md` §1.4 and §1.11.
public enum ProviderRegistry {
    /// Every provider, in the registry's canonical order.
    public static let all: [Provider] = [
        Provider(
            id: .anthropic,
            displayName: "Anthropic",
            family: .anthropic,
            baseURL: "https://api.anthropic.com",
            chatPathOverride: nil,
            authMethods: [.apiKey, .oauth],
            authScheme: .xAPIKey,
            requiresCustomBaseURL: false,
            isLocal: false,
            modelList: ModelListEndpoint(path: "/v1/models", headers: ["anthropic-version": "2023-06-01"])
        ),
        cloud(.openai, "OpenAI", baseURL: "https://api.openai.com", models: "/v1/models"),
        Provider(
            id: .gemini,
            displayName: "Google Gemini",
            family: .gemini,
            baseURL: "https://generativelanguage.googleapis.com",
            chatPathOverride: nil,
            authMethods: [.apiKey],
            authScheme: .googleAPIKey,
            requiresCustomBaseURL: false,
            isLocal: false,
            modelList: ModelListEndpoint(path: "/v1beta/models")
        ),
        cloud(.mistral, "Mistral", baseURL: "https://api.mistral.ai", models: "/v1/models"),
        Provider(
            id: .cohere,
            displayName: "Cohere",
            family: .cohere,
            baseURL: "https://api.cohere.com",
            chatPathOverride: nil,
            authMethods: [.apiKey],
            authScheme: .bearer,
            requiresCustomBaseURL: false,
            isLocal: false,
            modelList: ModelListEndpoint(path: "/v1/models")
        ),
        cloud(.xai, "xAI (Grok)", baseURL: "https://api.x.ai", models: "/v1/models"),
        cloud(
            .deepseek,
            "DeepSeek",
            baseURL: "https://api.deepseek.com",
            chatPath: "/chat/completions",
            models: "/models"
        ),
        cloud(.perplexity, "Perplexity", baseURL: "https://api.perplexity.ai", chatPath: "/chat/completions"),
        cloud(
            .groq,
            "Groq",
            baseURL: "https://api.groq.com",
            chatPath: "/openai/v1/chat/completions",
            models: "/openai/v1/models"
        ),
        cloud(.together, "Together AI", baseURL: "https://api.together.xyz", models: "/v1/models"),
        cloud(
            .fireworks,
            "Fireworks AI",
            baseURL: "https://api.fireworks.ai",
            chatPath: "/inference/v1/chat/completions",
            models: "/inference/v1/models"
        ),
        cloud(
            .openrouter,
            "OpenRouter",
            baseURL: "https://openrouter.ai/api",
            chatPath: "/api/v1/chat/completions",
            models: "/api/v1/models"
        ),
        Provider(
            id: .azureOpenAI,
            displayName: "Azure OpenAI",
            family: .openai,
            baseURL: "https://YOUR_RESOURCE.openai.azure.com",
            chatPathOverride: nil,
            authMethods: [.apiKey],
            authScheme: .azureAPIKey,
            requiresCustomBaseURL: true,
            isLocal: false,
            modelList: ModelListEndpoint(path: "/openai/models?api-version=2024-10-21")
        ),
        Provider(
            id: .ollama,
            displayName: "Ollama (local)",
            family: nil,
            baseURL: "http://localhost:11434",
            chatPathOverride: "/v1/chat/completions",
            authMethods: [.apiKey],
            authScheme: .optionalBearer,
            requiresCustomBaseURL: true,
            isLocal: true,
            modelList: ModelListEndpoint(path: "/api/tags")
        ),
        Provider(
            id: .lmStudio,
            displayName: "LM Studio (local)",
            family: nil,
            baseURL: "http://localhost:1234",
            chatPathOverride: "/v1/chat/completions",
            authMethods: [.apiKey],
            authScheme: .optionalBearer,
            requiresCustomBaseURL: true,
            isLocal: true,
            modelList: ModelListEndpoint(path: "/v1/models")
        ),
    ]

    /// The provider with identifier `id`, or `nil` when Byoky does not know it.
    ///
    /// (A search of the short list: comparing short identifiers costs less than hashing one,
    /// and every proxied request looks its provider up several times.)
    public static func provider(_ id: ProviderID) -> Provider? { all.first { $0.id == id } }

    /// Every provider identifier, in canonical order.
    public static var ids: [ProviderID] { all.map(\.id) }

    /// The display name of `id`, or the raw identifier when the provider is unknown.
    public static func displayName(of id: ProviderID) -> String {
        provider(id)?.displayName ?? id.rawValue
    }

    /// The providers whose chat endpoint speaks `family`.
    public static func members(of family: APIFamily) -> [Provider] {
        all.filter { $0.family == family }
    }

    /// Whether both providers speak the same family (so a request can move between them untranslated).
    public static func areSameFamily(_ source: ProviderID, _ destination: ProviderID) -> Bool {
        guard let family = provider(source)?.family else { return false }
        return provider(destination)?.family == family
    }

    /// Whether a request for `source` must be translated to reach `destination`.
    public static func needsTranslation(from source: ProviderID, to destination: ProviderID) -> Bool {
        guard let from = provider(source)?.family, let to = provider(destination)?.family else { return false }
        return from != to
    }

    private static func cloud(
        _ id: ProviderID,
        _ name: String,
        baseURL: String,
        chatPath: String? = nil,
        models: String? = nil
    ) -> Provider {
        Provider(
            id: id,
            displayName: name,
            family: .openai,
            baseURL: baseURL,
            chatPathOverride: chatPath,
            authMethods: [.apiKey],
            authScheme: .bearer,
            requiresCustomBaseURL: false,
            isLocal: false,
            modelList: models.map { ModelListEndpoint(path: $0) }
        )
    }
}
