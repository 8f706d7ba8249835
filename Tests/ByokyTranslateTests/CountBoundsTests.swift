import ByokyCore
import Foundation
import Testing

@testable import ByokyTranslate

/// Counts and limits read from the network (an app's `max_tokens` and thinking budget, a
/// provider's usage) are summed when translated: a budget added to the output limit, cache
/// reads and writes added to the input, input and output into a total. A value no request or
/// answer could mean (up to `Int.max`, `1e300`, below zero) is held to
/// `0...TokenUsage.largestCount`: before, the sums overflowed and the wallet's process stopped on an
/// arithmetic trap, from one app's request or one provider's answer.
struct CountBoundsTests {
    static let huge = "9223372036854775807"

    /// Requests whose limits are as large as an `Int` holds.
    static let requests: [(APIFamily, String)] = [
        (
            .gemini,
            #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":1,"topK":N,"thinkingConfig":{"thinkingBudget":N}}}"#
        ),
        (
            .gemini,
            #"{"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":N,"thinkingConfig":{"thinkingBudget":N}}}"#
        ),
        (
            .cohere,
            #"{"model":"command-a-03-2025","max_tokens":1,"k":N,"thinking":{"type":"enabled","token_budget":N},"messages":[{"role":"user","content":"Hi"}]}"#
        ),
        (
            .anthropic,
            #"{"model":"claude-sonnet-4-6","max_tokens":N,"top_k":N,"thinking":{"type":"enabled","budget_tokens":N},"messages":[{"role":"user","content":"Hi"}]}"#
        ),
        (
            .openai,
            #"{"model":"gpt-5.5","max_completion_tokens":N,"max_tokens":N,"reasoning_effort":"high","messages":[{"role":"user","content":"Hi"}]}"#
        ),
    ]

    /// Every number under a name that counts tokens (or limits them), anywhere in `node`.
    static func counts(in node: JSONNode, under name: String = "") -> [Double] {
        switch node {
        case .object(let object):
            return object.flatMap { counts(in: $0.value, under: $0.key) }
        case .array(let elements):
            return elements.flatMap { counts(in: $0, under: name) }
        case .number(let text):
            let lowered = name.lowercased()
            let counts =
                lowered.contains("token") || lowered.contains("budget") || lowered == "k" || lowered == "topk"
                || lowered == "top_k"
            return counts ? [Double(text) ?? .infinity] : []
        default:
            return []
        }
    }

    @Test(arguments: requests.indices, APIFamily.allCases)
    func aRequestsHugeLimitsAreHeldWhenTranslated(index: Int, target: APIFamily) throws {
        let (source, template) = Self.requests[index]
        guard source != target else { return }
        let (provider, model) = Fixtures.target(target)
        let body = template.replacingOccurrences(of: "N", with: Self.huge)
        let translated: JSONNode
        do {
            translated = try Translate.request(body, from: source, to: provider.id, model: model).body
        } catch let refusal as ByokyError {
            // A target may refuse what it cannot express; it must not stop.
            #expect(refusal.code == .translationNotSupported || refusal.code == .invalidRequest, "\(refusal)")
            return
        }
        let counts = Self.counts(in: translated)
        #expect(!counts.isEmpty, "\(source) → \(target): \(translated)")
        for count in counts {
            #expect(count >= 0 && count <= Double(4 * TokenUsage.largestCount), "\(source) → \(target): \(count)")
        }
    }

    static let answers: [(APIFamily, String)] = [
        (
            .anthropic,
            #"{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","usage":{"input_tokens":N,"cache_read_input_tokens":N,"cache_creation_input_tokens":N,"output_tokens":N}}"#
        ),
        (
            .openai,
            #"{"id":"c","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":N,"completion_tokens":N,"total_tokens":N,"prompt_tokens_details":{"cached_tokens":N},"completion_tokens_details":{"reasoning_tokens":N}}}"#
        ),
        (
            .gemini,
            #"{"candidates":[{"content":{"role":"model","parts":[{"text":"Hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":N,"toolUsePromptTokenCount":N,"candidatesTokenCount":N,"thoughtsTokenCount":N,"cachedContentTokenCount":N,"totalTokenCount":N}}"#
        ),
        (
            .cohere,
            #"{"id":"c","finish_reason":"COMPLETE","message":{"role":"assistant","content":[{"type":"text","text":"Hi"}]},"usage":{"billed_units":{"input_tokens":N,"output_tokens":N},"tokens":{"input_tokens":N,"output_tokens":N},"cached_tokens":N}}"#
        ),
    ]

    static let absurdCounts = [huge, "1e300", "-9223372036854775807", "12.5"]

    @Test(arguments: answers.indices, APIFamily.allCases)
    func anAnswersAbsurdUsageIsHeldWhenTranslated(index: Int, source: APIFamily) throws {
        let (target, template) = Self.answers[index]
        guard source != target else { return }
        for count in Self.absurdCounts {
            let answer = try Translate.response(
                template.replacingOccurrences(of: "N", with: count),
                from: target,
                to: source
            )
            for written in Self.counts(in: answer) {
                #expect(
                    written >= 0 && written <= Double(4 * TokenUsage.largestCount),
                    "\(target) → \(source): \(count)"
                )
            }
        }
    }

    static let streams: [(APIFamily, String)] = [
        (
            .anthropic,
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"usage\":{\"input_tokens\":N,\"cache_read_input_tokens\":N,\"cache_creation_input_tokens\":N,\"output_tokens\":1}}}\n\n"
                + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
                + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"
                + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
                + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":N}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"
        ),
        (
            .openai,
            "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":N,\"completion_tokens\":N,\"total_tokens\":N}}\n\n"
                + "data: [DONE]\n\n"
        ),
        (
            .gemini,
            "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Hi\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":N,\"toolUsePromptTokenCount\":N,\"candidatesTokenCount\":N,\"thoughtsTokenCount\":N,\"totalTokenCount\":N}}\n\n"
        ),
    ]

    @Test(arguments: streams.indices, APIFamily.allCases)
    func aStreamsAbsurdUsageIsHeldWhenTranslated(index: Int, source: APIFamily) throws {
        let (target, template) = Self.streams[index]
        guard source != target else { return }
        for count in Self.absurdCounts {
            let written = Translate.stream(
                template.replacingOccurrences(of: "N", with: count),
                from: target,
                to: source
            )
            #expect(!written.isEmpty)
            for line in written.split(separator: "\n") where line.hasPrefix("data: {") {
                let event = try JSONNode.parse(Array(line.dropFirst(6).utf8))
                for number in Self.counts(in: event) {
                    #expect(
                        number >= 0 && number <= Double(4 * TokenUsage.largestCount),
                        "\(target) → \(source): \(count)"
                    )
                }
            }
        }
    }
}
