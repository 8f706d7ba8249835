public import ByokyCore

/// A chat request in family-neutral form: what every family adapter reads requests into and
/// writes them out of.
public struct ChatRequest: Sendable, Hashable {
    /// The model the app asked for (informational: the route names the model that is called).
    public var model: String?
    /// System instructions in order; OpenAI `developer` messages are kept as system parts.
    public var system: [SystemPart] = []
    /// The conversation; tool results live in user turns, tool calls in assistant turns.
    public var messages: [ChatMessage] = []
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var topK: Int?
    /// Stop sequences; never holds `null` or empty entries.
    public var stopSequences: [String] = []
    /// Whether the app asked for a stream (from the body, or from Gemini's URL).
    public var isStreaming = false
    /// Whether an OpenAI app asked for the final usage chunk (`stream_options.include_usage`).
    public var includeStreamUsage = false
    public var userID: String?
    /// Completions per request (OpenAI `n`, Gemini `candidateCount`).
    public var candidateCount: Int?
    public var tools: [ToolDefinition] = []
    public var toolChoice: ToolChoice?
    /// `false` when the app forbids parallel tool calls.
    public var parallelToolCalls: Bool?
    public var responseFormat: ResponseFormat?
    public var reasoning: ReasoningRequest?
    public var seed: Int?
    public var frequencyPenalty: Double?
    public var presencePenalty: Double?
    /// Features the app used that the reader could not carry (e.g. Anthropic server tools); the
    /// writer refuses the request if any are present so nothing is silently dropped.
    public var unsupportedFeatures: [String] = []

    public init() {}
}

/// One part of the system prompt.
public struct SystemPart: Sendable, Hashable {
    public var text: String
    /// True for an OpenAI `developer` message, so an OpenAI target gets that role back.
    public var isDeveloper: Bool

    public init(text: String, isDeveloper: Bool = false) {
        self.text = text
        self.isDeveloper = isDeveloper
    }
}

/// A turn of the conversation.
public struct ChatMessage: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        case user, assistant
    }

    public var role: Role
    public var content: [ContentBlock]

    public init(role: Role, content: [ContentBlock]) {
        self.role = role
        self.content = content
    }
}

/// A function the model may call.
public struct ToolDefinition: Sendable, Hashable {
    public var name: String
    public var description: String?
    /// JSON Schema for the arguments (an object schema).
    public var parameters: JSONNode
    /// OpenAI `strict` structured-arguments flag.
    public var strict: Bool?

    public init(name: String, description: String? = nil, parameters: JSONNode, strict: Bool? = nil) {
        self.name = name
        self.description = description
        self.parameters = parameters
        self.strict = strict
    }
}

/// How the model must use tools.
public enum ToolChoice: Sendable, Hashable {
    case auto
    /// Must call some tool (Anthropic `any`, OpenAI `required`, Gemini `ANY`, Cohere `REQUIRED`).
    case any
    case none
    /// Must call this tool.
    case tool(name: String)
}

/// Structured output the app asked for.
public enum ResponseFormat: Sendable, Hashable {
    /// Any valid JSON object.
    case json
    /// JSON matching `schema`.
    case jsonSchema(name: String?, schema: JSONNode, strict: Bool?)
}

/// Extended thinking / reasoning the app asked for.
public struct ReasoningRequest: Sendable, Hashable {
    /// Token budget (Anthropic `budget_tokens`, Gemini `thinkingBudget`, Cohere `token_budget`).
    public var budgetTokens: Int?
    /// Effort level (OpenAI `reasoning_effort`): `minimal`, `low`, `medium`, `high`.
    public var effort: String?
    /// False when the app explicitly turned thinking off (Gemini budget 0).
    public var isEnabled: Bool

    public init(budgetTokens: Int? = nil, effort: String? = nil, isEnabled: Bool = true) {
        self.budgetTokens = budgetTokens
        self.effort = effort
        self.isEnabled = isEnabled
    }

    /// A budget for families that need one, derived from the effort when the app gave only that.
    public func resolvedBudget(maxTokens: Int?) -> Int {
        if let budgetTokens, budgetTokens > 0 { return budgetTokens }
        let budget: Int
        switch effort {
        case "minimal": budget = 1024
        case "low": budget = 2048
        case "high": budget = 24576
        default: budget = 8192
        }
        return budget
    }

    /// An effort level for families that take one, derived from the budget when the app gave only that.
    public var resolvedEffort: String {
        if let effort { return effort }
        guard let budgetTokens else { return "medium" }
        switch budgetTokens {
        case ..<2048: return "low"
        case ..<16384: return "medium"
        default: return "high"
        }
    }
}
