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
    ) -> [UInt8] {
        var output = JSONOutput()
        output.beginObject()
        output.key("candidates")
        output.beginArray()
        output.beginObject()
        output.key("content")
        output.beginObject()
        output.member("role", "model")
        output.key("parts")
        output.beginArray()
        var isEmpty = true
        for block in response.content {
            switch block {
            case .text(let text):
                output.beginObject()
                output.member("text", text)
                output.endObject()
            case .thinking(let thinking):
                output.beginObject()
                output.member("text", thinking.text)
                output.key("thought")
                output.bool(true)
                output.endObject()
            case .toolUse(let call):
                output.beginObject()
                output.key("functionCall")
                output.beginObject()
                output.member("id", call.id)
                output.member("name", call.name)
                output.key("args")
                output.node(AnthropicAdapter.argumentsObject(call.arguments, report: &report))
                output.endObject()
                output.endObject()
            case .redactedThinking, .image, .document, .toolResult:
                continue
            }
            isEmpty = false
        }
        if isEmpty {
            output.beginObject()
            output.member("text", response.refusal ?? "")
            output.endObject()
        }
        output.endArray()
        output.endObject()
        output.member("finishReason", finishReasonValue(response.stopReason))
        if let refusal = response.refusal { output.member("finishMessage", refusal) }
        output.member("index", int: 0)
        output.endObject()
        output.endArray()
        output.key("usageMetadata")
        writeUsage(response.usage, to: &output)
        output.member("modelVersion", context.echoedModel)
        output.member("responseId", response.id ?? context.requestID)
        output.endObject()
        return output.finish()
    }
}
