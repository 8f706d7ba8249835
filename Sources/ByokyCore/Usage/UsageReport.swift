/// The usage-bearing parts of any provider's response object or stream event, decoded leniently.
///
/// One small `Decodable` covers every family's shapes so a stream event is decoded once.
struct UsageReport: Decodable {
    struct Counts: Decodable {
        struct Details: Decodable {
            var cached_tokens: Double?
            var reasoning_tokens: Double?
        }
        struct CohereTokens: Decodable {
            var input_tokens: Double?
            var output_tokens: Double?
        }
        var input_tokens: Double?
        var output_tokens: Double?
        var prompt_tokens: Double?
        var completion_tokens: Double?
        var cache_read_input_tokens: Double?
        var cache_creation_input_tokens: Double?
        var prompt_tokens_details: Details?
        var completion_tokens_details: Details?
        var input_tokens_details: Details?
        var output_tokens_details: Details?
        var tokens: CohereTokens?
        var billed_units: CohereTokens?
    }
    struct GeminiCounts: Decodable {
        let promptTokenCount: Double?
        let candidatesTokenCount: Double?
        let thoughtsTokenCount: Double?
        let cachedContentTokenCount: Double?
    }
    struct Nested: Decodable {
        let usage: Counts?
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
}

/// Turns a raw count into a token count: floored, never negative, `nil` when absent or not finite.
func tokenCount(_ value: Double?) -> Int? {
    guard let value, value.isFinite else { return nil }
    return Int.clamping(value, to: 0...Int.max)
}
