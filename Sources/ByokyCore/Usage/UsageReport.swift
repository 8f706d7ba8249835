/// The usage-bearing parts of any provider's response object or stream event, read leniently
/// (a value of the wrong kind counts as absent).
///
/// One shape covers every family's so a stream event is read once.
struct UsageReport {
    struct Counts {
        struct Details {
            var cached_tokens: Double?
            var reasoning_tokens: Double?
        }
        struct CohereTokens {
            var input_tokens: Double?
            var output_tokens: Double?
        }
        var input_tokens: Double?
        var output_tokens: Double?
        var prompt_tokens: Double?
        var completion_tokens: Double?
        /// OpenAI's `total_tokens`: read to tell an embeddings answer (input only) from a chat
        /// answer whose output count is missing.
        var total_tokens: Double?
        var cache_read_input_tokens: Double?
        var cache_creation_input_tokens: Double?
        var prompt_tokens_details: Details?
        var completion_tokens_details: Details?
        var input_tokens_details: Details?
        var output_tokens_details: Details?
        var tokens: CohereTokens?
        var billed_units: CohereTokens?
        /// The length of audio a transcription was billed by (OpenAI's whisper-1: `usage` of
        /// `type` `duration`).
        var seconds: Double?
    }
    struct GeminiCounts {
        let promptTokenCount: Double?
        let candidatesTokenCount: Double?
        let thoughtsTokenCount: Double?
        let cachedContentTokenCount: Double?
        /// Input read by the provider's own tools (search results, fetched pages, code output),
        /// reported apart from `promptTokenCount`.
        let toolUsePromptTokenCount: Double?
        let totalTokenCount: Double?
    }
    /// An object that holds a `usage` (rarely there: held by reference, so a report, made for
    /// every answer, stays small to copy).
    final class Nested: Sendable {
        let usage: Counts?

        init(usage: Counts?) { self.usage = usage }
    }

    let type: String?
    let usage: Counts?
    let usageMetadata: GeminiCounts?
    /// Anthropic `message_start`.
    let message: Nested?
    /// Cohere `message-end`.
    let delta: Nested?
    /// Groq's extra usage block.
    let x_groq: Nested?
    /// OpenAI Responses API `response.completed`.
    let response: Nested?
    /// Cohere's `meta` (an embed's, a v1 chat's), read as a usage object: its `billed_units`.
    let meta: Nested?
}

/// Turns a raw count into a token count: floored, never negative, at most
/// ``TokenUsage/largestCount`` (so sums of counts cannot overflow), `nil` when absent or not
/// finite.
func tokenCount(_ value: Double?) -> Int? {
    guard let value, value.isFinite else { return nil }
    return Int.clamping(value, to: 0...TokenUsage.largestCount)
}
