/// Tokens one response used, normalised across families.
///
/// ``inputTokens`` counts every input token, cached ones included (Anthropic reports cache reads
/// and writes apart from `input_tokens`; they are added in here). ``outputTokens`` counts every
/// output token, reasoning included (Gemini reports thoughts apart; they are added in here).
public struct TokenUsage: Sendable, Hashable, Codable {
    /// The largest count read from an answer (2^32): far past any context window, and small
    /// enough that the sums of a request's counts, of a cap's requests and of the log's rows stay
    /// within an `Int`. A larger count (a provider's mistake, a hostile gift giver's answer) is
    /// read as this.
    public static let largestCount = 1 << 32

    /// All input tokens.
    public var inputTokens: Int
    /// All output tokens.
    public var outputTokens: Int
    /// Input tokens read from a prompt cache (part of ``inputTokens``).
    public var cacheReadTokens: Int?
    /// Input tokens written to a prompt cache (part of ``inputTokens``).
    public var cacheWriteTokens: Int?
    /// Output tokens spent on reasoning (part of ``outputTokens``).
    public var reasoningTokens: Int?
    /// `false` when the response ended before its final usage report (e.g. a cancelled stream),
    /// so the counts are a lower bound.
    public var isComplete: Bool

    public init(
        inputTokens: Int,
        outputTokens: Int,
        cacheReadTokens: Int? = nil,
        cacheWriteTokens: Int? = nil,
        reasoningTokens: Int? = nil,
        isComplete: Bool = true
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.reasoningTokens = reasoningTokens
        self.isComplete = isComplete
    }

    /// Input plus output: the unit of allowances and gift budgets.
    public var totalTokens: Int { inputTokens + outputTokens }
}
