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
    ) -> JSONNode {
        var content: [JSONNode] = []
        var plan: [String] = []
        var calls: [JSONNode] = []
        for block in response.content {
            switch block {
            case .text(let text): content.append(.object(["type": .string("text"), "text": .string(text)]))
            case .thinking(let thinking) where thinking.origin == .toolPlan: plan.append(thinking.text)
            case .thinking(let thinking):
                content.append(.object(["type": .string("thinking"), "thinking": .string(thinking.text)]))
            case .toolUse(let call):
                calls.append(ChatMessagesShape.toolCallNode(call, id: call.id))
            case .redactedThinking, .image, .document, .toolResult: continue
            }
        }
        if let refusal = response.refusal, content.isEmpty {
            content.append(.object(["type": .string("text"), "text": .string(refusal)]))
        }
        return .object([
            "id": .string(response.id ?? context.requestID),
            "finish_reason": .string(finishReasonValue(response.stopReason)),
            "message": .object([
                "role": .string("assistant"),
                "content": .array(content),
                "tool_plan": plan.isEmpty ? nil : .string(plan.joined(separator: "\n")),
                "tool_calls": calls.isEmpty ? nil : .array(calls),
            ]),
            "usage": usageNode(response.usage),
        ])
    }
}
