import ByokyCore
import Testing

struct ProviderRegistryTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let id: ProviderID
        let name: String
        let family: APIFamily?
        let baseURL: String
        let chatPath: String?
        let authHeader: String
        let requiresBase: Bool
        let models: String?
        var testDescription: String { id.rawValue }
    }

    static let table: [Row] = [
        Row(
            id: .anthropic,
            name: "Anthropic",
            family: .anthropic,
            baseURL: "https://api.anthropic.com",
            chatPath: "/v1/messages",
            authHeader: "x-api-key",
            requiresBase: false,
            models: "/v1/models"
        ),
        Row(
            id: .openai,
            name: "OpenAI",
            family: .openai,
            baseURL: "https://api.openai.com",
            chatPath: "/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: "/v1/models"
        ),
        Row(
            id: .gemini,
            name: "Google Gemini",
            family: .gemini,
            baseURL: "https://generativelanguage.googleapis.com",
            chatPath: "/v1beta/models/{model}:generateContent",
            authHeader: "x-goog-api-key",
            requiresBase: false,
            models: "/v1beta/models"
        ),
        Row(
            id: .mistral,
            name: "Mistral",
            family: .openai,
            baseURL: "https://api.mistral.ai",
            chatPath: "/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: "/v1/models"
        ),
        Row(
            id: .cohere,
            name: "Cohere",
            family: .cohere,
            baseURL: "https://api.cohere.com",
            chatPath: "/v2/chat",
            authHeader: "authorization",
            requiresBase: false,
            models: "/v1/models"
        ),
        Row(
            id: .xai,
            name: "xAI (Grok)",
            family: .openai,
            baseURL: "https://api.x.ai",
            chatPath: "/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: "/v1/models"
        ),
        Row(
            id: .deepseek,
            name: "DeepSeek",
            family: .openai,
            baseURL: "https://api.deepseek.com",
            chatPath: "/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: "/models"
        ),
        Row(
            id: .perplexity,
            name: "Perplexity",
            family: .openai,
            baseURL: "https://api.perplexity.ai",
            chatPath: "/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: nil
        ),
        Row(
            id: .groq,
            name: "Groq",
            family: .openai,
            baseURL: "https://api.groq.com",
            chatPath: "/openai/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: "/openai/v1/models"
        ),
        Row(
            id: .together,
            name: "Together AI",
            family: .openai,
            baseURL: "https://api.together.xyz",
            chatPath: "/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: "/v1/models"
        ),
        Row(
            id: .fireworks,
            name: "Fireworks AI",
            family: .openai,
            baseURL: "https://api.fireworks.ai",
            chatPath: "/inference/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: "/inference/v1/models"
        ),
        Row(
            id: .openrouter,
            name: "OpenRouter",
            family: .openai,
            baseURL: "https://openrouter.ai/api",
            chatPath: "/api/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: false,
            models: "/api/v1/models"
        ),
        Row(
            id: .azureOpenAI,
            name: "Azure OpenAI",
            family: .openai,
            baseURL: "https://YOUR_RESOURCE.openai.azure.com",
            chatPath: "/v1/chat/completions",
            authHeader: "api-key",
            requiresBase: true,
            models: "/openai/models?api-version=2024-10-21"
        ),
        Row(
            id: .ollama,
            name: "Ollama (local)",
            family: nil,
            baseURL: "http://localhost:11434",
            chatPath: "/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: true,
            models: "/api/tags"
        ),
        Row(
            id: .lmStudio,
            name: "LM Studio (local)",
            family: nil,
            baseURL: "http://localhost:1234",
            chatPath: "/v1/chat/completions",
            authHeader: "authorization",
            requiresBase: true,
            models: "/v1/models"
        ),
    ]

    @Test(arguments: table)
    func registryEntryMatchesTheReferenceFacts(row: Row) throws {
        let provider = try #require(ProviderRegistry.provider(row.id))
        #expect(provider.displayName == row.name)
        #expect(provider.family == row.family)
        #expect(provider.baseURL == row.baseURL)
        #expect(provider.chatPath == row.chatPath)
        #expect(provider.authScheme.headerName == row.authHeader)
        #expect(provider.requiresCustomBaseURL == row.requiresBase)
        #expect(provider.modelList?.path == row.models)
        #expect(provider.isLocal == (row.id == .ollama || row.id == .lmStudio))
        #expect(!provider.authMethods.isEmpty)
    }

    @Test func registryHasExactlyFifteenProvidersInCanonicalOrder() {
        #expect(ProviderRegistry.ids == Self.table.map(\.id))
        #expect(Set(ProviderRegistry.ids).count == 15)
        #expect(ProviderRegistry.provider("replicate") == nil)
        #expect(ProviderRegistry.provider("huggingface") == nil)
    }

    @Test func onlyAnthropicAcceptsOAuth() {
        for provider in ProviderRegistry.all {
            #expect(provider.authMethods == (provider.id == .anthropic ? [.apiKey, .oauth] : [.apiKey]))
        }
    }

    @Test func cloudBaseURLsAreHTTPSAndLocalOnesAreLoopbackHTTP() throws {
        for provider in ProviderRegistry.all {
            let url = try #require(AbsoluteURL(provider.baseURL))
            if provider.isLocal {
                #expect(url.scheme == "http" && url.isLoopbackHost)
            } else {
                #expect(url.scheme == "https")
            }
        }
    }

    @Test func anthropicModelListSendsTheVersionHeader() {
        #expect(ProviderRegistry.provider(.anthropic)?.modelList?.headers == ["anthropic-version": "2023-06-01"])
    }

    @Test func familiesDecideSwapsAndTranslations() {
        #expect(ProviderRegistry.areSameFamily(.groq, .openai))
        #expect(ProviderRegistry.areSameFamily(.azureOpenAI, .mistral))
        #expect(!ProviderRegistry.areSameFamily(.openai, .anthropic))
        #expect(!ProviderRegistry.areSameFamily(.ollama, .ollama))
        #expect(ProviderRegistry.needsTranslation(from: .openai, to: .anthropic))
        #expect(ProviderRegistry.needsTranslation(from: .cohere, to: .gemini))
        #expect(!ProviderRegistry.needsTranslation(from: .groq, to: .openai))
        #expect(!ProviderRegistry.needsTranslation(from: .ollama, to: .anthropic))
        #expect(ProviderRegistry.members(of: .openai).count == 10)
    }

    @Test func displayNameFallsBackToTheID() {
        #expect(ProviderRegistry.displayName(of: .openai) == "OpenAI")
        #expect(ProviderRegistry.displayName(of: "newcomer") == "newcomer")
    }

    @Test func geminiChatPathCarriesTheEncodedModelAndStreamingMode() {
        #expect(
            APIFamily.geminiChatPath(model: "gemini-2.5-pro", streaming: false)
                == "/v1beta/models/gemini-2.5-pro:generateContent"
        )
        #expect(
            APIFamily.geminiChatPath(model: "a/b c", streaming: true)
                == "/v1beta/models/a%2Fb%20c:streamGenerateContent?alt=sse"
        )
    }

    @Test func authSchemesWriteAndReadTheirHeader() {
        #expect(UpstreamAuthScheme.bearer.headerValue(for: "k1") == "Bearer k1")
        #expect(UpstreamAuthScheme.optionalBearer.headerValue(for: "") == nil)
        #expect(UpstreamAuthScheme.googleAPIKey.headerValue(for: "g") == "g")
        #expect(UpstreamAuthScheme.bearer.credential(fromHeaderValue: "bearer byk_1") == "byk_1")
        #expect(UpstreamAuthScheme.bearer.credential(fromHeaderValue: "Basic abc") == nil)
        #expect(UpstreamAuthScheme.xAPIKey.credential(fromHeaderValue: "") == nil)
    }

    @Test func catalogKnowsEachFamilyDefault() throws {
        for family in APIFamily.allCases {
            let model = try #require(ModelCatalog.model(ModelCatalog.defaultModel(for: family)))
            #expect(model.family == family)
            #expect(model.maxOutputTokens > 0)
        }
        #expect(ModelCatalog.model("command-a-03-2025")?.capabilities.vision == false)
    }
}
