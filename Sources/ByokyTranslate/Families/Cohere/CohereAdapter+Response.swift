internal import ByokyCore

extension CohereAdapter {
    static func readResponse(_ body: JSONNode, context: TranslationContext) throws(ByokyError) -> ChatResponse {
        guard let message = body["message"], message.objectValue != nil else {
            throw .malformedUpstream(.cohere, "no message")
        }
        var response = ChatResponse()
        response.id = body["id"]?.stringValue
        response.content = readAssistant(message, context: context)
        response.stopReason = stopReason(from: body["finish_reason"]?.stringValue)
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
        output.member("id", response.id ?? context.requestID)
        output.member("finish_reason", finishReasonValue(response.stopReason))
        output.key("message")
        output.beginObject()
        output.member("role", "assistant")
        output.key("content")
        output.beginArray()
        var plan: [String] = []
        var calls: [ToolUse] = []
        var isEmpty = true
        for block in response.content {
            switch block {
            case .text(let text): writeTypedText(type: "text", key: "text", text, to: &output)
            case .thinking(let thinking) where thinking.origin == .toolPlan:
                plan.append(thinking.text)
                continue
            case .thinking(let thinking): writeTypedText(type: "thinking", key: "thinking", thinking.text, to: &output)
            case .toolUse(let call):
                calls.append(call)
                continue
            case .redactedThinking, .image, .document, .toolResult: continue
            }
            isEmpty = false
        }
        if let refusal = response.refusal, isEmpty { writeTypedText(type: "text", key: "text", refusal, to: &output) }
        output.endArray()
        if !plan.isEmpty { output.member("tool_plan", plan.joined(separator: "\n")) }
        ChatMessagesShape.writeToolCalls(calls, id: \.id, to: &output)
        output.endObject()
        output.key("usage")
        writeUsage(response.usage, to: &output)
        output.endObject()
        return output.finish()
    }

    /// A content block `{"type": type, key: text}`.
    private static func writeTypedText(
        type: String,
        key: StaticString,
        _ text: String,
        to output: inout JSONOutput
    ) {
        output.beginObject()
        output.member("type", type)
        output.member(key, text)
        output.endObject()
    }
}
