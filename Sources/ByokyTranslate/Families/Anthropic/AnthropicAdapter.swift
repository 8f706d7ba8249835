internal import ByokyCore

/// Anthropic Messages (`POST /v1/messages`).
enum AnthropicAdapter: FamilyAdapter {
    static let family = APIFamily.anthropic

    static func stopReason(from value: String?) -> StopReason {
        switch value {
        case "max_tokens": .maxTokens
        case "stop_sequence": .stopSequence
        case "tool_use": .toolUse
        case "refusal": .refusal
        case "pause_turn": .pauseTurn
        case "model_context_window_exceeded": .contextWindowExceeded
        default: .endTurn
        }
    }

    static func stopReasonValue(_ reason: StopReason) -> String {
        switch reason {
        case .endTurn, .error, .other: "end_turn"
        case .maxTokens: "max_tokens"
        case .stopSequence: "stop_sequence"
        case .toolUse: "tool_use"
        case .refusal: "refusal"
        case .pauseTurn: "pause_turn"
        case .contextWindowExceeded: "model_context_window_exceeded"
        }
    }

    static func readUsage(_ node: JSONNode?) -> ChatUsage {
        guard let node else { return ChatUsage() }
        let cacheRead = node["cache_read_input_tokens"]?.countValue ?? 0
        let cacheWrite = node["cache_creation_input_tokens"]?.countValue ?? 0
        // Anthropic's input_tokens excludes cached tokens; ours includes them.
        return ChatUsage(
            inputTokens: (node["input_tokens"]?.countValue ?? 0) + cacheRead + cacheWrite,
            outputTokens: node["output_tokens"]?.countValue ?? 0,
            cacheReadTokens: cacheRead,
            cacheWriteTokens: cacheWrite
        )
    }

    static func usageNode(_ usage: ChatUsage) -> JSONNode {
        JSONOutput.node { writeUsage(usage, to: &$0) }
    }

    static func writeUsage(_ usage: ChatUsage, to output: inout JSONOutput) {
        output.beginObject()
        output.member("input_tokens", int: usage.uncachedInputTokens)
        output.member("output_tokens", int: usage.outputTokens)
        output.member("cache_creation_input_tokens", int: usage.cacheWriteTokens)
        output.member("cache_read_input_tokens", int: usage.cacheReadTokens)
        output.endObject()
    }

    static func readError(_ body: JSONNode?, status: Int) -> ProviderErrorInfo {
        let error = body?["error"]
        return ProviderErrorInfo(
            type: error?["type"]?.stringValue ?? ErrorBody.anthropicType(status: status),
            message: error?["message"]?.stringValue ?? "Anthropic API error (HTTP \(status))",
            status: status
        )
    }

    static func writeError(_ error: ProviderErrorInfo) -> JSONNode {
        .object([
            "type": .string("error"),
            "error": .object([
                "type": .string(ErrorBody.anthropicType(status: error.status)), "message": .string(error.message),
            ]),
        ])
    }

    static func makeStreamReader(context: TranslationContext) -> any StreamEventReader {
        AnthropicStreamReader()
    }

    static func makeStreamWriter(context: TranslationContext) -> any StreamEventWriter {
        AnthropicStreamWriter(context: context)
    }
}
