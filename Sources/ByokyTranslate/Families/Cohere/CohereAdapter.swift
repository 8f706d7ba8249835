internal import ByokyCore

/// Cohere Chat v2 (`POST /v2/chat`).
enum CohereAdapter: FamilyAdapter {
    static let family = APIFamily.cohere

    static func stopReason(from value: String?) -> StopReason {
        switch value {
        case "STOP_SEQUENCE": .stopSequence
        case "MAX_TOKENS": .maxTokens
        case "TOOL_CALL": .toolUse
        case "ERROR": .error
        case "TIMEOUT": .other
        default: .endTurn
        }
    }

    static func finishReasonValue(_ reason: StopReason) -> String {
        switch reason {
        case .endTurn, .pauseTurn, .other: "COMPLETE"
        case .stopSequence: "STOP_SEQUENCE"
        case .maxTokens, .contextWindowExceeded: "MAX_TOKENS"
        case .toolUse: "TOOL_CALL"
        case .refusal, .error: "ERROR"
        }
    }

    static func readUsage(_ node: JSONNode?) -> ChatUsage {
        let counts = node?["tokens"] ?? node?["billed_units"]
        return ChatUsage(
            inputTokens: counts?["input_tokens"]?.countValue ?? 0,
            outputTokens: counts?["output_tokens"]?.countValue ?? 0,
            cacheReadTokens: node?["cached_tokens"]?.countValue ?? 0
        )
    }

    static func usageNode(_ usage: ChatUsage) -> JSONNode {
        JSONOutput.node { writeUsage(usage, to: &$0) }
    }

    static func writeUsage(_ usage: ChatUsage, to output: inout JSONOutput) {
        output.beginObject()
        for name: StaticString in ["billed_units", "tokens"] {
            output.key(name)
            output.beginObject()
            output.member("input_tokens", int: usage.inputTokens)
            output.member("output_tokens", int: usage.outputTokens)
            output.endObject()
        }
        output.endObject()
    }

    static func readError(_ body: JSONNode?, status: Int) -> ProviderErrorInfo {
        ProviderErrorInfo(
            type: ErrorBody.openAIType(status: status),
            message: body?["message"]?.stringValue ?? "Cohere API error (HTTP \(status))",
            status: status
        )
    }

    static func writeError(_ error: ProviderErrorInfo) -> JSONNode {
        .object(["message": .string(error.message)])
    }

    static func makeStreamReader(context: TranslationContext) -> any StreamEventReader {
        CohereStreamReader(context: context)
    }

    static func makeStreamWriter(context: TranslationContext) -> any StreamEventWriter {
        CohereStreamWriter(context: context)
    }

    static func toolCallNode(_ call: ToolUse, provider: ProviderID) -> JSONNode {
        ChatMessagesShape.toolCallNode(call, id: ToolCallID.forTarget(call.id, family: .cohere, provider: provider))
    }

    /// Reads an assistant message's blocks in Cohere's order: tool plan, content, tool calls.
    static func readAssistant(_ message: JSONNode?, context: TranslationContext?) -> [ContentBlock] {
        var blocks: [ContentBlock] = []
        if let plan = message?["tool_plan"]?.stringValue, !plan.isEmpty {
            blocks.append(.thinking(Thinking(text: plan, origin: .toolPlan)))
        }
        switch message?["content"] {
        case .string(let text)?:
            if !text.isEmpty { blocks.append(.text(text)) }
        case .array(let items)?:
            for item in items {
                switch item["type"]?.stringValue {
                case "text": blocks.append(.text(item["text"]?.stringValue ?? ""))
                case "thinking":
                    blocks.append(.thinking(Thinking(text: item["thinking"]?.stringValue ?? "", origin: .summary)))
                default: continue
                }
            }
        default: break
        }
        for (index, call) in (message?["tool_calls"]?.arrayValue ?? []).enumerated() {
            blocks.append(
                .toolUse(
                    ToolUse(
                        id: call["id"]?.stringValue
                            ?? ToolCallID.minted(requestID: context?.requestID ?? "cohere", index: index),
                        name: call["function"]?["name"]?.stringValue ?? "",
                        arguments: .parse(call["function"]?["arguments"]?.stringValue ?? "")
                    )
                )
            )
        }
        return blocks
    }
}
