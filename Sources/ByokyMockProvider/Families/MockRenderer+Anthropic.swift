import ByokyCore

extension MockRenderer {
    static let anthropicMessageID = "msg_mock_01"

    static func anthropicMessage(_ reply: MockReply) -> JSONValue {
        var content: [JSONValue] = []
        if let call = reply.toolCall {
            content.append(
                .object([
                    "type": .string("tool_use"), "id": .string(call.id), "name": .string(call.name),
                    "input": call.arguments,
                ])
            )
        } else {
            content.append(.object(["type": .string("text"), "text": .string(reply.text)]))
        }
        return .object([
            "id": .string(anthropicMessageID), "type": .string("message"), "role": .string("assistant"),
            "model": .string(reply.model), "content": .array(content),
            "stop_reason": .string(reply.toolCall == nil ? "end_turn" : "tool_use"), "stop_sequence": .null,
            "usage": .object([
                "input_tokens": .number(Double(reply.inputTokens)),
                "output_tokens": .number(Double(reply.outputTokens)),
            ]),
        ])
    }

    static func anthropicEvents(_ reply: MockReply) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = [
            event(
                "message_start",
                .object([
                    "type": .string("message_start"),
                    "message": .object([
                        "id": .string(anthropicMessageID), "type": .string("message"), "role": .string("assistant"),
                        "model": .string(reply.model), "content": .array([]), "stop_reason": .null,
                        "stop_sequence": .null,
                        "usage": .object([
                            "input_tokens": .number(Double(reply.inputTokens)), "output_tokens": .number(1),
                        ]),
                    ]),
                ])
            )
        ]
        if let call = reply.toolCall {
            events.append(
                event(
                    "content_block_start",
                    .object([
                        "type": .string("content_block_start"), "index": .number(0),
                        "content_block": .object([
                            "type": .string("tool_use"), "id": .string(call.id), "name": .string(call.name),
                            "input": .object([:]),
                        ]),
                    ])
                )
            )
            events.append(event("ping", .object(["type": .string("ping")])))
            for fragment in fragments(of: call.argumentsText) {
                events.append(
                    event(
                        "content_block_delta",
                        .object([
                            "type": .string("content_block_delta"), "index": .number(0),
                            "delta": .object(["type": .string("input_json_delta"), "partial_json": .string(fragment)]),
                        ])
                    )
                )
            }
        } else {
            events.append(
                event(
                    "content_block_start",
                    .object([
                        "type": .string("content_block_start"), "index": .number(0),
                        "content_block": .object(["type": .string("text"), "text": .string("")]),
                    ])
                )
            )
            events.append(event("ping", .object(["type": .string("ping")])))
            for word in reply.words {
                events.append(
                    event(
                        "content_block_delta",
                        .object([
                            "type": .string("content_block_delta"), "index": .number(0),
                            "delta": .object(["type": .string("text_delta"), "text": .string(word)]),
                        ])
                    )
                )
            }
        }
        events.append(
            event("content_block_stop", .object(["type": .string("content_block_stop"), "index": .number(0)]))
        )
        events.append(
            event(
                "message_delta",
                .object([
                    "type": .string("message_delta"),
                    "delta": .object([
                        "stop_reason": .string(reply.toolCall == nil ? "end_turn" : "tool_use"), "stop_sequence": .null,
                    ]),
                    "usage": .object(["output_tokens": .number(Double(reply.outputTokens))]),
                ])
            )
        )
        events.append(event("message_stop", .object(["type": .string("message_stop")])))
        return events
    }
}
