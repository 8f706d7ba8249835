internal import ByokyCore

extension OpenAIAdapter {
    static func readResponse(_ body: JSONNode, context: TranslationContext) throws(ByokyError) -> ChatResponse {
        guard let choice = body["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw .malformedUpstream(.openai, "no choices")
        }
        var response = ChatResponse()
        response.id = body["id"]?.stringValue
        response.model = body["model"]?.stringValue
        for key in ["reasoning_content", "reasoning"] {
            if let text = message[key]?.stringValue, !text.isEmpty {
                response.content.append(.thinking(Thinking(text: text, origin: .summary)))
            }
        }
        let text = flattenedText(message["content"])
        if !text.isEmpty { response.content.append(.text(text)) }
        for (index, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
            guard let function = call["function"] else { continue }
            response.content.append(
                .toolUse(
                    ToolUse(
                        id: call["id"]?.stringValue ?? ToolCallID.minted(requestID: context.requestID, index: index),
                        name: function["name"]?.stringValue ?? "",
                        arguments: .parse(function["arguments"]?.stringValue ?? "")
                    )
                )
            )
        }
        response.refusal = message["refusal"]?.stringValue
        response.stopReason = stopReason(from: choice["finish_reason"]?.stringValue)
        if response.refusal?.isEmpty == false { response.stopReason = .refusal }
        response.usage = readUsage(body["usage"])
        return response
    }

    static func writeResponse(
        _ response: ChatResponse,
        context: TranslationContext,
        report: inout TranslationReport
    ) -> [UInt8] {
        var texts: [String] = []
        var reasoning: [String] = []
        var calls: [ToolUse] = []
        for block in response.content {
            switch block {
            case .text(let text): texts.append(text)
            case .thinking(let thinking): reasoning.append(thinking.text)
            case .toolUse(let call): calls.append(call)
            case .redactedThinking, .image, .document, .toolResult:
                continue
            }
        }
        if !reasoning.isEmpty { report.note("thinking sent as reasoning_content") }
        var output = JSONOutput()
        output.beginObject()
        output.member("id", completionID(response.id, context: context))
        output.member("object", "chat.completion")
        output.member("created", int: context.createdAt)
        output.member("model", context.echoedModel)
        output.key("choices")
        output.beginArray()
        output.beginObject()
        output.member("index", int: 0)
        output.key("message")
        output.beginObject()
        output.member("role", "assistant")
        output.member("content", texts.isEmpty ? nil : texts.count == 1 ? texts[0] : texts.joined())
        output.member("refusal", response.refusal)
        if !reasoning.isEmpty { output.member("reasoning_content", reasoning.joined(separator: "\n")) }
        ChatMessagesShape.writeToolCalls(calls, id: \.id, to: &output)
        output.endObject()
        output.key("logprobs")
        output.null()
        output.member("finish_reason", finishReasonValue(response.stopReason))
        output.endObject()
        output.endArray()
        output.key("usage")
        writeUsage(response.usage, to: &output)
        output.endObject()
        return output.finish()
    }
}
