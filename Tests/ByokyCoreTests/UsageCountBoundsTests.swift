import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// Token counts come from the network (a provider's answer, or a gift's giver relaying one) and
/// are summed (cache reads and writes into the input, thoughts into the output, input and output
/// into a total, a request's into a cap's). A count no answer could hold (past any context
/// window, up to 1e300) is read as ``TokenUsage/largestCount``: before, the sums overflowed and
/// the wallet's process stopped on an arithmetic trap.
struct UsageCountBoundsTests {
    static let absurd = "1e300"

    static let answers: [(ProviderID, String)] = [
        (
            .anthropic,
            #"{"type":"message","usage":{"input_tokens":N,"cache_read_input_tokens":N,"cache_creation_input_tokens":N,"output_tokens":N}}"#
        ),
        (.openai, #"{"object":"chat.completion","usage":{"prompt_tokens":N,"completion_tokens":N,"total_tokens":N}}"#),
        (.openai, #"{"object":"response","usage":{"input_tokens":N,"output_tokens":N,"total_tokens":N}}"#),
        (
            .gemini,
            #"{"usageMetadata":{"promptTokenCount":N,"toolUsePromptTokenCount":N,"candidatesTokenCount":N,"thoughtsTokenCount":N,"totalTokenCount":N}}"#
        ),
        (.cohere, #"{"usage":{"tokens":{"input_tokens":N,"output_tokens":N}}}"#),
    ]

    @Test(arguments: answers.indices)
    func anAbsurdCountInAWholeAnswerIsBounded(index: Int) throws {
        let (provider, template) = Self.answers[index]
        let body = template.replacingOccurrences(of: "N", with: Self.absurd)
        let usage = try #require(UsageExtractor.usage(fromJSON: Array(body.utf8), provider: provider))
        #expect(usage.inputTokens >= TokenUsage.largestCount && usage.outputTokens >= TokenUsage.largestCount)
        #expect(usage.totalTokens > usage.inputTokens)
        #expect(usage.totalTokens <= 8 * TokenUsage.largestCount)
    }

    static let streams: [(ProviderID, String)] = [
        (
            .anthropic,
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":N,\"cache_read_input_tokens\":N,\"cache_creation_input_tokens\":N,\"output_tokens\":1}}}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":N}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        ),
        (
            .openai,
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":N,\"completion_tokens\":N,\"total_tokens\":N}}\n\ndata: [DONE]\n\n"
        ),
        (
            .gemini,
            "data: {\"usageMetadata\":{\"promptTokenCount\":N,\"toolUsePromptTokenCount\":N,\"candidatesTokenCount\":N,\"thoughtsTokenCount\":N,\"totalTokenCount\":N}}\n\n"
        ),
    ]

    @Test(arguments: streams.indices)
    func anAbsurdCountInAStreamIsBounded(index: Int) throws {
        let (provider, template) = Self.streams[index]
        let stream = template.replacingOccurrences(of: "N", with: Self.absurd)
        var meter = UsageMeter(provider: provider, contentType: "text/event-stream")
        for chunk in ChunkSplits.fixedSize(Array(stream.utf8), size: 64) { meter.consume(chunk) }
        let finished = meter.finish()
        let usage = try #require(finished)
        #expect(usage.inputTokens >= TokenUsage.largestCount && usage.outputTokens >= TokenUsage.largestCount)
        #expect(usage.totalTokens <= 8 * TokenUsage.largestCount)
    }

    /// Gemini's input is the prompt plus what its own tools read; a total larger than the parts
    /// counts the rest as input.
    @Test func geminisToolInputAndTotalCount() throws {
        let parts =
            #"{"usageMetadata":{"promptTokenCount":100,"toolUsePromptTokenCount":3000,"candidatesTokenCount":20,"thoughtsTokenCount":5,"totalTokenCount":3125}}"#
        let usage = try #require(UsageExtractor.usage(fromJSON: Array(parts.utf8), provider: .gemini))
        #expect(usage.inputTokens == 3100 && usage.outputTokens == 25)
        let larger = #"{"usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"totalTokenCount":500}}"#
        let counted = try #require(UsageExtractor.usage(fromJSON: Array(larger.utf8), provider: .gemini))
        #expect(counted.inputTokens == 480 && counted.outputTokens == 20)
        let smaller = #"{"usageMetadata":{"promptTokenCount":100,"candidatesTokenCount":20,"totalTokenCount":7}}"#
        let kept = try #require(UsageExtractor.usage(fromJSON: Array(smaller.utf8), provider: .gemini))
        #expect(kept.inputTokens == 100 && kept.outputTokens == 20)
        // In snake_case too, as Google's proto3 JSON may write it.
        let snake =
            #"{"usage_metadata":{"prompt_token_count":100,"tool_use_prompt_token_count":3000,"candidates_token_count":20}}"#
        let read = try #require(UsageExtractor.usage(fromJSON: Array(snake.utf8), provider: .gemini))
        #expect(read.inputTokens == 3100 && read.outputTokens == 20)
    }
}
