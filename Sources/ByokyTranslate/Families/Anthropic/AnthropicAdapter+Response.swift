internal import ByokyCore

extension AnthropicAdapter {
    static func readResponse(_ body: JSONNode, context: TranslationContext) throws(ByokyError) -> ChatResponse {
        guard body["type"]?.stringValue == "message", let blocks = body["content"]?.arrayValue else {
            throw .malformedUpstream(.anthropic, "no message content")
        }
        var response = ChatResponse()
        response.id = body["id"]?.stringValue
        response.model = body["model"]?.stringValue
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text":
                response.content.append(.text(block["text"]?.stringValue ?? ""))
            case "tool_use":
                response.content.append(
                    .toolUse(
                        ToolUse(
                            id: block["id"]?.stringValue ?? "",
                            name: block["name"]?.stringValue ?? "",
                            arguments: .json(block["input"] ?? .object(JSONObject()))
                        )
                    )
                )
            case "thinking":
                response.content.append(
                    .thinking(
                        Thinking(
                            text: block["thinking"]?.stringValue ?? "",
                            signature: block["signature"]?.stringValue,
                            origin: .anthropic
                        )
                    )
                )
            case "redacted_thinking":
                response.content.append(.redactedThinking(data: block["data"]?.stringValue ?? ""))
            default:
                continue
            }
        }
        response.stopReason = stopReason(from: body["stop_reason"]?.stringValue)
        response.stopSequence = body["stop_sequence"]?.stringValue
        response.usage = readUsage(body["usage"])
        return response
    }

    static func writeResponse(
        _ response: ChatResponse,
        context: TranslationContext,
        report: inout TranslationReport
    ) -> JSONNode {
        var content: [JSONNode] = []
        for block in response.content {
            switch block {
            case .text(let text):
                content.append(.object(["type": .string("text"), "text": .string(text)]))
            case .toolUse(let call):
                content.append(
                    .object([
                        "type": .string("tool_use"),
                        "id": .string(ToolCallID.forTarget(call.id, family: .anthropic, provider: .anthropic)),
                        "name": .string(call.name),
                        "input": argumentsObject(call.arguments, report: &report),
                    ])
                )
            case .thinking(let thinking):
                content.append(thinkingNode(thinking, report: &report))
            case .redactedThinking(let data):
                content.append(.object(["type": .string("redacted_thinking"), "data": .string(data)]))
            case .image, .document, .toolResult:
                continue
            }
        }
        if let refusal = response.refusal, !refusal.isEmpty, !response.content.contains(where: { $0.text != nil }) {
            content.append(.object(["type": .string("text"), "text": .string(refusal)]))
        }
        if content.isEmpty { content.append(.object(["type": .string("text"), "text": .string("")])) }
        return .object([
            "id": .string(response.id.map(messageID) ?? "msg_\(context.requestID)"),
            "type": .string("message"),
            "role": .string("assistant"),
            "model": .string(context.echoedModel),
            "content": .array(content),
            "stop_reason": .string(stopReasonValue(response.stopReason)),
            "stop_sequence": response.stopSequence.map(JSONNode.string) ?? .null,
            "usage": usageNode(response.usage),
        ])
    }

    /// Anthropic ids look like `msg_…`; foreign ids are prefixed so they still do.
    static func messageID(_ id: String) -> String { id.hasPrefix("msg_") ? id : "msg_\(id)" }

    /// Thinking as an Anthropic block: signed Claude thinking keeps its signature; other reasoning is
    /// shown with an empty signature, which Claude rejects if sent back, so apps should not replay it.
    static func thinkingNode(_ thinking: Thinking, report: inout TranslationReport) -> JSONNode {
        if thinking.origin != .anthropic { report.note("reasoning from another provider shown as unsigned thinking") }
        return .object([
            "type": .string("thinking"),
            "thinking": .string(thinking.text),
            "signature": .string(thinking.origin == .anthropic ? thinking.signature ?? "" : ""),
        ])
    }

    /// Tool input must be an object; text that is not JSON is kept under `_raw` and reported.
    static func argumentsObject(_ arguments: ToolArguments, report: inout TranslationReport) -> JSONNode {
        switch arguments {
        case .json(let node) where node.objectValue != nil:
            return node
        case .json(let node):
            report.note("tool arguments that are not an object wrapped in {\"value\": …}")
            return .object(["value": node])
        case .raw(let text):
            report.note("tool arguments that are not valid JSON kept as {\"_raw\": …}")
            return .object(["_raw": .string(text)])
        }
    }
}
