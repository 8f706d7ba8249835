internal import ByokyCore

extension GeminiAdapter {
    static func readResponse(_ body: JSONNode, context: TranslationContext) throws(ByokyError) -> ChatResponse {
        let body = GeminiFieldNames.normalized(body)
        var response = ChatResponse()
        response.id = body["responseId"]?.stringValue
        response.model = body["modelVersion"]?.stringValue
        response.usage = readUsage(body["usageMetadata"])
        guard let candidate = body["candidates"]?.arrayValue?.first else {
            guard let blocked = body["promptFeedback"]?["blockReason"]?.stringValue else {
                throw .malformedUpstream(.gemini, "no candidates")
            }
            response.stopReason = .refusal
            response.refusal = "Gemini blocked the prompt (\(blocked))."
            return response
        }
        var hadToolCall = false
        for part in candidate["content"]?["parts"]?.arrayValue ?? [] {
            let signature = part["thoughtSignature"]?.stringValue
            if let text = part["text"]?.stringValue {
                if part["thought"]?.boolValue == true {
                    response.content.append(.thinking(Thinking(text: text, signature: signature, origin: .summary)))
                } else if !text.isEmpty {
                    response.content.append(.text(text))
                }
            } else if let call = part["functionCall"] {
                response.content.append(
                    .toolUse(
                        ToolUse(
                            id: call["id"]?.stringValue
                                ?? ToolCallID.minted(requestID: context.requestID, index: response.content.count),
                            name: call["name"]?.stringValue ?? "",
                            arguments: .json(call["args"] ?? .object(JSONObject())),
                            thoughtSignature: signature
                        )
                    )
                )
                hadToolCall = true
            }
        }
        response.stopReason = stopReason(from: candidate["finishReason"]?.stringValue, hadToolCall: hadToolCall)
        if response.stopReason == .refusal {
            response.refusal =
                candidate["finishMessage"]?.stringValue
                ?? "Gemini stopped for safety (\(candidate["finishReason"]?.stringValue ?? "SAFETY"))."
        }
        return response
    }

    static func writeResponse(
        _ response: ChatResponse,
        context: TranslationContext,
        report: inout TranslationReport
    ) -> JSONNode {
        var parts: [JSONNode] = []
        for block in response.content {
            switch block {
            case .text(let text): parts.append(.object(["text": .string(text)]))
            case .thinking(let thinking):
                parts.append(.object(["text": .string(thinking.text), "thought": .bool(true)]))
            case .toolUse(let call):
                parts.append(
                    .object([
                        "functionCall": .object([
                            "id": .string(call.id), "name": .string(call.name),
                            "args": AnthropicAdapter.argumentsObject(call.arguments, report: &report),
                        ])
                    ])
                )
            case .redactedThinking, .image, .document, .toolResult:
                continue
            }
        }
        if parts.isEmpty { parts.append(.object(["text": .string(response.refusal ?? "")])) }
        return .object([
            "candidates": .array([
                .object([
                    "content": .object(["role": .string("model"), "parts": .array(parts)]),
                    "finishReason": .string(finishReasonValue(response.stopReason)),
                    "finishMessage": response.refusal.map(JSONNode.string),
                    "index": .int(0),
                ])
            ]),
            "usageMetadata": usageNode(response.usage),
            "modelVersion": .string(context.echoedModel),
            "responseId": .string(response.id ?? context.requestID),
        ])
    }
}
