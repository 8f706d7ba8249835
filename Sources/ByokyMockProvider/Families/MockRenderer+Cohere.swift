import ByokyCore

extension MockRenderer {
    static let cohereResponseID = "mock-cohere-01"

    static func cohereUsage(_ reply: MockReply) -> JSONValue {
        let counts = JSONValue.object([
            "input_tokens": .number(Double(reply.inputTokens)), "output_tokens": .number(Double(reply.outputTokens)),
        ])
        return .object(["billed_units": counts, "tokens": counts])
    }

    static func cohereResponse(_ reply: MockReply) -> JSONValue {
        var message: [String: JSONValue] = ["role": .string("assistant")]
        if let call = reply.toolCall {
            message["tool_plan"] = .string("I will call \(call.name).")
            message["tool_calls"] = .array([
                .object([
                    "id": .string(call.id), "type": .string("function"),
                    "function": .object(["name": .string(call.name), "arguments": .string(call.argumentsText)]),
                ])
            ])
        } else {
            message["content"] = .array([.object(["type": .string("text"), "text": .string(reply.text)])])
        }
        return .object([
            "id": .string(cohereResponseID), "message": .object(message),
            "finish_reason": .string(reply.toolCall == nil ? "COMPLETE" : "TOOL_CALL"), "usage": cohereUsage(reply),
        ])
    }

    static func cohereEvents(_ reply: MockReply) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = [
            event(
                "message-start",
                .object([
                    "id": .string(cohereResponseID), "type": .string("message-start"),
                    "delta": .object([
                        "message": .object([
                            "role": .string("assistant"), "content": .array([]), "tool_plan": .string(""),
                            "tool_calls": .array([]), "citations": .array([]),
                        ])
                    ]),
                ])
            )
        ]
        if let call = reply.toolCall {
            events.append(
                event(
                    "tool-plan-delta",
                    .object([
                        "type": .string("tool-plan-delta"),
                        "delta": .object(["message": .object(["tool_plan": .string("I will call \(call.name).")])]),
                    ])
                )
            )
            events.append(
                event(
                    "tool-call-start",
                    .object([
                        "type": .string("tool-call-start"), "index": .number(0),
                        "delta": .object([
                            "message": .object([
                                "tool_calls": .object([
                                    "id": .string(call.id), "type": .string("function"),
                                    "function": .object(["name": .string(call.name), "arguments": .string("")]),
                                ])
                            ])
                        ]),
                    ])
                )
            )
            for fragment in fragments(of: call.argumentsText) {
                events.append(
                    event(
                        "tool-call-delta",
                        .object([
                            "type": .string("tool-call-delta"), "index": .number(0),
                            "delta": .object([
                                "message": .object([
                                    "tool_calls": .object(["function": .object(["arguments": .string(fragment)])])
                                ])
                            ]),
                        ])
                    )
                )
            }
            events.append(event("tool-call-end", .object(["type": .string("tool-call-end"), "index": .number(0)])))
        } else {
            events.append(
                event(
                    "content-start",
                    .object([
                        "type": .string("content-start"), "index": .number(0),
                        "delta": .object([
                            "message": .object(["content": .object(["type": .string("text"), "text": .string("")])])
                        ]),
                    ])
                )
            )
            for word in reply.words {
                events.append(
                    event(
                        "content-delta",
                        .object([
                            "type": .string("content-delta"), "index": .number(0),
                            "delta": .object(["message": .object(["content": .object(["text": .string(word)])])]),
                        ])
                    )
                )
            }
            events.append(event("content-end", .object(["type": .string("content-end"), "index": .number(0)])))
        }
        events.append(
            event(
                "message-end",
                .object([
                    "type": .string("message-end"),
                    "delta": .object([
                        "finish_reason": .string(reply.toolCall == nil ? "COMPLETE" : "TOOL_CALL"),
                        "usage": cohereUsage(reply),
                    ]),
                ])
            )
        )
        return events
    }
}
