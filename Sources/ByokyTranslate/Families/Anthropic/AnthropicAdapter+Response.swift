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
    ) -> [UInt8] {
        var output = JSONOutput()
        output.beginObject()
        output.member("id", response.id.map(messageID) ?? "msg_\(context.requestID)")
        output.member("type", "message")
        output.member("role", "assistant")
        output.member("model", context.echoedModel)
        output.key("content")
        output.beginArray()
        var isEmpty = true
        for block in response.content {
            switch block {
            case .text(let text):
                writeTextBlock(text, to: &output)
            case .toolUse(let call):
                output.beginObject()
                output.member("type", "tool_use")
                output.member("id", ToolCallID.forTarget(call.id, family: .anthropic, provider: .anthropic))
                output.member("name", call.name)
                output.key("input")
                output.node(argumentsObject(call.arguments, report: &report))
                output.endObject()
            case .thinking(let thinking):
                output.node(thinkingNode(thinking, report: &report))
            case .redactedThinking(let data):
                output.beginObject()
                output.member("type", "redacted_thinking")
                output.member("data", data)
                output.endObject()
            case .image, .document, .toolResult:
                continue
            }
            isEmpty = false
        }
        if let refusal = response.refusal, !refusal.isEmpty, !response.content.contains(where: { $0.text != nil }) {
            writeTextBlock(refusal, to: &output)
            isEmpty = false
        }
        if isEmpty { writeTextBlock("", to: &output) }
        output.endArray()
        output.member("stop_reason", stopReasonValue(response.stopReason))
        output.member("stop_sequence", response.stopSequence)
        output.key("usage")
        writeUsage(response.usage, to: &output)
        output.endObject()
        return output.finish()
    }

    private static func writeTextBlock(_ text: String, to output: inout JSONOutput) {
        output.beginObject()
        output.member("type", "text")
        output.member("text", text)
        output.endObject()
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
