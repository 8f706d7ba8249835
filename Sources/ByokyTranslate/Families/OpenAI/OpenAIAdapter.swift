internal import ByokyCore

/// OpenAI Chat Completions (`POST /v1/chat/completions`) and the providers that speak it.
enum OpenAIAdapter: FamilyAdapter {
    static let family = APIFamily.openai

    static func stopReason(from value: String?) -> StopReason {
        switch value {
        case "length": .maxTokens
        case "tool_calls", "function_call": .toolUse
        case "content_filter": .refusal
        default: .endTurn
        }
    }

    static func finishReasonValue(_ reason: StopReason) -> String {
        switch reason {
        case .endTurn, .stopSequence, .pauseTurn, .error, .other: "stop"
        case .maxTokens, .contextWindowExceeded: "length"
        case .toolUse: "tool_calls"
        case .refusal: "content_filter"
        }
    }

    static func readUsage(_ node: JSONNode?) -> ChatUsage {
        guard let node, node.objectValue != nil else { return ChatUsage() }
        return ChatUsage(
            inputTokens: node["prompt_tokens"]?.countValue ?? 0,
            outputTokens: node["completion_tokens"]?.countValue ?? 0,
            cacheReadTokens: node["prompt_tokens_details"]?["cached_tokens"]?.countValue ?? 0,
            reasoningTokens: node["completion_tokens_details"]?["reasoning_tokens"]?.countValue ?? 0
        )
    }

    static func usageNode(_ usage: ChatUsage) -> JSONNode {
        JSONOutput.node { writeUsage(usage, to: &$0) }
    }

    static func writeUsage(_ usage: ChatUsage, to output: inout JSONOutput) {
        output.beginObject()
        output.member("prompt_tokens", int: usage.inputTokens)
        output.member("completion_tokens", int: usage.outputTokens)
        output.member("total_tokens", int: usage.totalTokens)
        output.key("prompt_tokens_details")
        output.beginObject()
        output.member("cached_tokens", int: usage.cacheReadTokens)
        output.endObject()
        output.key("completion_tokens_details")
        output.beginObject()
        output.member("reasoning_tokens", int: usage.reasoningTokens)
        output.endObject()
        output.endObject()
    }

    static func readError(_ body: JSONNode?, status: Int) -> ProviderErrorInfo {
        let error = body?["error"]
        return ProviderErrorInfo(
            type: error?["type"]?.stringValue ?? ErrorBody.openAIType(status: status),
            message: error?["message"]?.stringValue ?? body?["message"]?.stringValue
                ?? "OpenAI API error (HTTP \(status))",
            status: status
        )
    }

    static func writeError(_ error: ProviderErrorInfo) -> JSONNode {
        .object([
            "error": .object([
                "message": .string(error.message),
                "type": .string(ErrorBody.openAIType(status: error.status)),
                "param": .null,
                "code": .string(error.type),
            ])
        ])
    }

    /// OpenAI's chat ids look like `chatcmpl-…`.
    static func completionID(_ id: String?, context: TranslationContext) -> String {
        guard let id, !id.isEmpty else { return "chatcmpl-\(context.requestID)" }
        return id.hasPrefix("chatcmpl-") ? id : "chatcmpl-\(id)"
    }

    static func makeStreamReader(context: TranslationContext) -> any StreamEventReader {
        OpenAIStreamReader(context: context)
    }

    static func makeStreamWriter(context: TranslationContext) -> any StreamEventWriter {
        OpenAIStreamWriter(context: context)
    }

    /// Text of a `content` that is a string or an array of text parts.
    static func flattenedText(_ content: JSONNode?) -> String {
        switch content {
        case .string(let text)?: return text
        case .array(let parts)?: return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }
}
