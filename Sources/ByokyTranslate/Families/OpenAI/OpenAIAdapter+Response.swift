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
    ) -> JSONNode {
        var texts: [String] = []
        var reasoning: [String] = []
        var calls: [JSONNode] = []
        for block in response.content {
            switch block {
            case .text(let text): texts.append(text)
            case .thinking(let thinking): reasoning.append(thinking.text)
            case .toolUse(let call):
                calls.append(ChatMessagesShape.toolCallNode(call, id: call.id))
            case .redactedThinking, .image, .document, .toolResult:
                continue
            }
        }
        if !reasoning.isEmpty { report.note("thinking sent as reasoning_content") }
        let message: JSONNode = .object([
            "role": .string("assistant"),
            "content": texts.isEmpty ? .null : .string(texts.joined()),
            "refusal": response.refusal.map(JSONNode.string) ?? .null,
            "reasoning_content": reasoning.isEmpty ? nil : .string(reasoning.joined(separator: "\n")),
            "tool_calls": calls.isEmpty ? nil : .array(calls),
        ])
        return .object([
            "id": .string(completionID(response.id, context: context)),
            "object": .string("chat.completion"),
            "created": .int(context.createdAt),
            "model": .string(context.echoedModel),
            "choices": .array([
                .object([
                    "index": .int(0),
                    "message": message,
                    "logprobs": .null,
                    "finish_reason": .string(finishReasonValue(response.stopReason)),
                ])
            ]),
            "usage": usageNode(response.usage),
        ])
    }
}
