import ByokyCore

extension MockRenderer {
    static func geminiParts(_ reply: MockReply) -> [JSONValue] {
        if let call = reply.toolCall {
            return [.object(["functionCall": .object(["name": .string(call.name), "args": call.arguments])])]
        }
        return [.object(["text": .string(reply.text)])]
    }

    static func geminiResponse(_ reply: MockReply, parts: [JSONValue], final: Bool, candidatesTokens: Int) -> JSONValue
    {
        var candidate: [String: JSONValue] = [
            "content": .object(["parts": .array(parts), "role": .string("model")]), "index": .number(0),
        ]
        if final { candidate["finishReason"] = .string("STOP") }
        var usage: [String: JSONValue] = [
            "promptTokenCount": .number(Double(reply.inputTokens)),
            "candidatesTokenCount": .number(Double(candidatesTokens)),
            "totalTokenCount": .number(Double(reply.inputTokens + reply.toolUseTokens + candidatesTokens)),
        ]
        // As Google reports it: apart from the prompt, and in the total.
        if reply.toolUseTokens > 0 { usage["toolUsePromptTokenCount"] = .number(Double(reply.toolUseTokens)) }
        return .object([
            "candidates": .array([.object(candidate)]),
            "usageMetadata": .object(usage),
            "modelVersion": .string(reply.model), "responseId": .string("mock-gemini-01"),
        ])
    }

    static func geminiEvents(_ reply: MockReply) -> [ServerSentEvent] {
        if reply.toolCall != nil {
            return [
                event(
                    nil,
                    geminiResponse(reply, parts: geminiParts(reply), final: true, candidatesTokens: reply.outputTokens)
                )
            ]
        }
        return reply.words.enumerated().map { index, word in
            event(
                nil,
                geminiResponse(
                    reply,
                    parts: [.object(["text": .string(word)])],
                    final: index == reply.words.count - 1,
                    candidatesTokens: index + 1
                )
            )
        }
    }
}
