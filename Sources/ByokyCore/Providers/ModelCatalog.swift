/// What a model can do, as far as routing and translation need to know.
public struct ModelCapabilities: Sendable, Hashable, Codable {
    public var tools: Bool
    public var toolChoice: Bool
    public var parallelToolCalls: Bool
    public var vision: Bool
    public var structuredOutput: Bool
    public var systemPrompt: Bool
    public var streaming: Bool
    public var reasoning: Bool

    public init(
        tools: Bool = true,
        toolChoice: Bool = true,
        parallelToolCalls: Bool = true,
        vision: Bool = true,
        structuredOutput: Bool = true,
        systemPrompt: Bool = true,
        streaming: Bool = true,
        reasoning: Bool = true
    ) {
        self.tools = tools
        self.toolChoice = toolChoice
        self.parallelToolCalls = parallelToolCalls
        self.vision = vision
        self.structuredOutput = structuredOutput
        self.systemPrompt = systemPrompt
        self.streaming = streaming
        self.reasoning = reasoning
    }
}

/// A model the catalog knows, with its limits.
public struct ModelInfo: Sendable, Hashable {
    public let id: String
    public let provider: ProviderID
    public let family: APIFamily
    public let displayName: String
    /// Input context window, in tokens.
    public let contextWindow: Int
    /// The most output tokens one response may have.
    public let maxOutputTokens: Int
    public let capabilities: ModelCapabilities
}

/// The hand-kept catalog of current flagship models and each family's default routing target.
public enum ModelCatalog {
    /// Every catalogued model.
    public static let all: [ModelInfo] = [
        model("claude-opus-4-7", .anthropic, .anthropic, "Claude Opus 4.7", 1_000_000, 128_000),
        model("claude-sonnet-4-6", .anthropic, .anthropic, "Claude Sonnet 4.6", 1_000_000, 64_000),
        model("claude-haiku-4-5-20251001", .anthropic, .anthropic, "Claude Haiku 4.5", 200_000, 64_000),
        model("gpt-5.5", .openai, .openai, "GPT-5.5", 1_000_000, 128_000),
        model("gpt-5.4", .openai, .openai, "GPT-5.4", 1_000_000, 128_000),
        model("gpt-5.4-mini", .openai, .openai, "GPT-5.4 mini", 400_000, 128_000),
        model(
            "gpt-5.4-nano",
            .openai,
            .openai,
            "GPT-5.4 nano",
            400_000,
            128_000,
            ModelCapabilities(vision: false)
        ),
        model("gemini-2.5-pro", .gemini, .gemini, "Gemini 2.5 Pro", 1_000_000, 65_536),
        model("gemini-2.5-flash", .gemini, .gemini, "Gemini 2.5 Flash", 1_000_000, 65_536),
        model(
            "command-a-03-2025",
            .cohere,
            .cohere,
            "Command A",
            256_000,
            8_000,
            ModelCapabilities(vision: false, structuredOutput: false)
        ),
    ]

    /// The model the wallet routes to when it picks a family automatically.
    public static func defaultModel(for family: APIFamily) -> String {
        switch family {
        case .anthropic: "claude-sonnet-4-6"
        case .openai: "gpt-5.5"
        case .gemini: "gemini-2.5-pro"
        case .cohere: "command-a-03-2025"
        }
    }

    /// The catalogued model with identifier `id`.
    public static func model(_ id: String) -> ModelInfo? {
        all.first { $0.id == id }
    }

    /// The catalogued models of `family`.
    public static func models(in family: APIFamily) -> [ModelInfo] {
        all.filter { $0.family == family }
    }

    private static func model(
        _ id: String,
        _ provider: ProviderID,
        _ family: APIFamily,
        _ name: String,
        _ context: Int,
        _ output: Int,
        _ capabilities: ModelCapabilities = ModelCapabilities()
    ) -> ModelInfo {
        ModelInfo(
            id: id,
            provider: provider,
            family: family,
            displayName: name,
            contextWindow: context,
            maxOutputTokens: output,
            capabilities: capabilities
        )
    }
}
