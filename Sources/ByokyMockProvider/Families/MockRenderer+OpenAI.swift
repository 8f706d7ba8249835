import ByokyCore

extension MockRenderer {
    static let openAICompletionID = "chatcmpl-mock01"

    static func openAIUsage(_ reply: MockReply) -> JSONValue {
        .object([
            "prompt_tokens": .number(Double(reply.inputTokens)),
            "completion_tokens": .number(Double(reply.outputTokens)),
            "total_tokens": .number(Double(reply.inputTokens + reply.outputTokens)),
        ])
    }

    static func openAICompletion(_ reply: MockReply) -> JSONValue {
        var message: [String: JSONValue] = ["role": .string("assistant"), "refusal": .null]
        if !reply.toolCalls.isEmpty {
            message["content"] = .null
            message["tool_calls"] = .array(
                reply.toolCalls.map { call in
                    .object([
                        "id": .string(call.id), "type": .string("function"),
                        "function": .object(["name": .string(call.name), "arguments": .string(call.argumentsText)]),
                    ])
                }
            )
        } else {
            message["content"] = .string(reply.text)
        }
        return .object([
            "id": .string(openAICompletionID), "object": .string("chat.completion"), "created": .number(created),
            "model": .string(reply.model),
            "choices": .array([
                .object([
                    "index": .number(0), "message": .object(message), "logprobs": .null,
                    "finish_reason": .string(reply.toolCall == nil ? "stop" : "tool_calls"),
                ])
            ]),
            "usage": openAIUsage(reply),
        ])
    }

    static func openAIEvents(_ reply: MockReply, includeUsage: Bool) -> [ServerSentEvent] {
        func chunk(_ delta: JSONValue, finishReason: String?) -> ServerSentEvent {
            var object: [String: JSONValue] = [
                "id": .string(openAICompletionID), "object": .string("chat.completion.chunk"),
                "created": .number(created), "model": .string(reply.model),
                "choices": .array([
                    .object([
                        "index": .number(0), "delta": delta, "logprobs": .null,
                        "finish_reason": finishReason.map(JSONValue.string) ?? .null,
                    ])
                ]),
            ]
            if includeUsage { object["usage"] = .null }
            return event(nil, .object(object))
        }
        var events: [ServerSentEvent] = []
        if !reply.toolCalls.isEmpty {
            // Each call: a first delta with id and name, then its argument fragments.
            var perCall: [[JSONValue]] = reply.toolCalls.enumerated().map { index, call in
                var deltas: [JSONValue] = [
                    .object([
                        "index": .number(Double(index)), "id": .string(call.id), "type": .string("function"),
                        "function": .object(["name": .string(call.name), "arguments": .string("")]),
                    ])
                ]
                for fragment in fragments(of: call.argumentsText) {
                    deltas.append(
                        .object([
                            "index": .number(Double(index)), "function": .object(["arguments": .string(fragment)]),
                        ])
                    )
                }
                return deltas
            }
            var ordered: [JSONValue] = []
            if reply.interleavesCalls {
                // Round robin over the calls, as some OpenAI-compatible servers stream parallel calls.
                while perCall.contains(where: { !$0.isEmpty }) {
                    for index in perCall.indices where !perCall[index].isEmpty {
                        ordered.append(perCall[index].removeFirst())
                    }
                }
            } else {
                ordered = perCall.flatMap { $0 }
            }
            for (position, toolDelta) in ordered.enumerated() {
                var delta: [String: JSONValue] = ["tool_calls": .array([toolDelta])]
                if position == 0 {
                    delta["role"] = .string("assistant")
                    delta["content"] = .null
                }
                events.append(chunk(.object(delta), finishReason: nil))
            }
            events.append(chunk(.object([:]), finishReason: "tool_calls"))
        } else {
            events.append(chunk(.object(["role": .string("assistant"), "content": .string("")]), finishReason: nil))
            for word in reply.words {
                events.append(chunk(.object(["content": .string(word)]), finishReason: nil))
            }
            events.append(chunk(.object([:]), finishReason: "stop"))
        }
        if includeUsage {
            events.append(
                event(
                    nil,
                    .object([
                        "id": .string(openAICompletionID), "object": .string("chat.completion.chunk"),
                        "created": .number(created), "model": .string(reply.model), "choices": .array([]),
                        "usage": openAIUsage(reply),
                    ])
                )
            )
        }
        events.append(ServerSentEvent(data: "[DONE]"))
        return events
    }
}
