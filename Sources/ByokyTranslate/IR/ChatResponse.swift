/// A complete (non-streamed) answer in family-neutral form.
public struct ChatResponse: Sendable, Hashable {
    public var id: String?
    public var model: String?
    /// Text, tool calls and thinking, in order.
    public var content: [ContentBlock] = []
    public var stopReason: StopReason = .endTurn
    /// The stop sequence that matched, when the provider says.
    public var stopSequence: String?
    /// The refusal message, when the model refused.
    public var refusal: String?
    public var usage = ChatUsage()

    public init() {}
}

/// Why the model stopped.
public enum StopReason: String, Sendable, Hashable, CaseIterable {
    case endTurn = "end_turn"
    case maxTokens = "max_tokens"
    case stopSequence = "stop_sequence"
    case toolUse = "tool_use"
    case refusal
    case pauseTurn = "pause_turn"
    case contextWindowExceeded = "context_window_exceeded"
    case error
    case other
}

/// Token counts; cache and reasoning counters are kept so no family undercounts.
public struct ChatUsage: Sendable, Hashable {
    /// Input tokens including cached ones.
    public var inputTokens = 0
    public var outputTokens = 0
    /// Input tokens read from the prompt cache (part of `inputTokens`).
    public var cacheReadTokens = 0
    /// Input tokens written to the prompt cache (part of `inputTokens`).
    public var cacheWriteTokens = 0
    /// Reasoning tokens (part of `outputTokens`).
    public var reasoningTokens = 0

    public init(
        inputTokens: Int = 0,
        outputTokens: Int = 0,
        cacheReadTokens: Int = 0,
        cacheWriteTokens: Int = 0,
        reasoningTokens: Int = 0
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.reasoningTokens = reasoningTokens
    }

    /// Input tokens that were neither read from nor written to the cache.
    public var uncachedInputTokens: Int { max(0, inputTokens - cacheReadTokens - cacheWriteTokens) }

    public var totalTokens: Int { inputTokens + outputTokens }

    /// Takes every counter that `other` reports as non-zero.
    public mutating func merge(_ other: ChatUsage) {
        if other.inputTokens > 0 { inputTokens = other.inputTokens }
        if other.outputTokens > 0 { outputTokens = other.outputTokens }
        if other.cacheReadTokens > 0 { cacheReadTokens = other.cacheReadTokens }
        if other.cacheWriteTokens > 0 { cacheWriteTokens = other.cacheWriteTokens }
        if other.reasoningTokens > 0 { reasoningTokens = other.reasoningTokens }
    }
}

/// A provider's error, read from its error body or error event.
public struct ProviderErrorInfo: Sendable, Hashable {
    /// The provider's error type or status (`rate_limit_error`, `RESOURCE_EXHAUSTED`, …).
    public var type: String
    public var message: String
    /// The HTTP status the error stands for.
    public var status: Int

    public init(type: String, message: String, status: Int) {
        self.type = type
        self.message = message
        self.status = status
    }
}
