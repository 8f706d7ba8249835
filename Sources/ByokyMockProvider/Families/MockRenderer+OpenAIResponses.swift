import ByokyCore

/// OpenAI's Responses API (`POST /v1/responses`): the request read into the Chat Completions
/// shape the reply is decided from, refused where the API refuses it, and the reply written as
/// the API's response object or its event stream (`response.created` … `response.completed`, each
/// event named in its `event:` field and numbered, with no `[DONE]`).
extension MockRenderer {
    static let responseID = "resp_mock01"
    static let responseMessageID = "msg_mock01"

    /// The members a Responses request may carry; the API refuses any other
    /// (`Unknown parameter: 'messages'.`).
    static let responsesMembers: Set<String> = [
        "background", "conversation", "include", "input", "instructions", "max_output_tokens", "max_tool_calls",
        "metadata", "model", "parallel_tool_calls", "previous_response_id", "prompt", "prompt_cache_key",
        "prompt_cache_retention", "reasoning", "safety_identifier", "service_tier", "store", "stream",
        "stream_options", "temperature", "text", "tool_choice", "tools", "top_logprobs", "top_p", "truncation", "user",
    ]

    /// Why the API refuses a Responses request, as its message says it; `nil` when it takes it.
    /// `stream_options` holds only `include_obfuscation` there: `include_usage` belongs to Chat
    /// Completions.
    static func responsesRefusal(_ request: [String: JSONValue]) -> String? {
        if let unknown = request.keys.sorted().first(where: { !responsesMembers.contains($0) }) {
            return "Unknown parameter: '\(unknown)'."
        }
        if let options = request["stream_options"] {
            guard case .object(let members) = options else { return "Invalid type for 'stream_options'." }
            if let unknown = members.keys.sorted().first(where: { $0 != "include_obfuscation" }) {
                return "Unknown parameter: 'stream_options.\(unknown)'."
            }
        }
        return nil
    }

    /// A Responses request as the Chat Completions request it asks the same of: `input` (a text,
    /// or a list of messages and tool outputs) as `messages`, function tools as Chat's tools.
    static func chatShape(ofResponsesRequest request: [String: JSONValue]) -> [String: JSONValue] {
        var chat: [String: JSONValue] = [:]
        var messages: [JSONValue] = []
        if let instructions = request["instructions"]?.stringValue {
            messages.append(.object(["role": .string("system"), "content": .string(instructions)]))
        }
        switch request["input"] {
        case .string(let text)?:
            messages.append(.object(["role": .string("user"), "content": .string(text)]))
        case .array(let items)?:
            for item in items {
                if item["type"]?.stringValue == "function_call_output" {
                    messages.append(.object(["role": .string("tool"), "content": item["output"] ?? .string("")]))
                } else if let role = item["role"]?.stringValue {
                    let text: String =
                        item["content"]?.stringValue
                        ?? (item["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
                        .joined(separator: " ")
                    messages.append(.object(["role": .string(role), "content": .string(text)]))
                }
            }
        default:
            break
        }
        chat["messages"] = .array(messages)
        let tools = (request["tools"]?.arrayValue ?? []).filter { $0["type"]?.stringValue == "function" }
        if !tools.isEmpty {
            chat["tools"] = .array(
                tools.map { tool in
                    .object([
                        "type": .string("function"),
                        "function": .object([
                            "name": tool["name"] ?? .string(""), "parameters": tool["parameters"] ?? .object([:]),
                        ]),
                    ])
                }
            )
        }
        if let choice = request["tool_choice"] { chat["tool_choice"] = choice }
        return chat
    }

    /// The reply's output items, finished: one message, or one function call per tool call.
    static func responsesOutput(_ reply: MockReply) -> [JSONValue] {
        if reply.toolCalls.isEmpty {
            return [responsesMessage(text: reply.text, done: true)]
        }
        return reply.toolCalls.enumerated().map { index, call in
            responsesFunctionCall(call, index: index, arguments: call.argumentsText, done: true)
        }
    }

    static func responsesMessage(text: String?, done: Bool) -> JSONValue {
        .object([
            "id": .string(responseMessageID), "type": .string("message"),
            "status": .string(done ? "completed" : "in_progress"), "role": .string("assistant"),
            "content": .array(text.map { [responsesTextPart($0)] } ?? []),
        ])
    }

    static func responsesTextPart(_ text: String) -> JSONValue {
        .object([
            "type": .string("output_text"), "text": .string(text), "annotations": .array([]), "logprobs": .array([]),
        ])
    }

    static func responsesFunctionCall(
        _ call: MockReply.ToolCall,
        index: Int,
        arguments: String,
        done: Bool
    ) -> JSONValue {
        .object([
            "id": .string("fc_mock0\(index + 1)"), "type": .string("function_call"),
            "status": .string(done ? "completed" : "in_progress"), "call_id": .string(call.id),
            "name": .string(call.name), "arguments": .string(arguments),
        ])
    }

    /// The response object: `in_progress` with no output or usage, or `completed` with both.
    static func responseObject(_ reply: MockReply, request: [String: JSONValue], completed: Bool) -> JSONValue {
        let usage: JSONValue =
            completed
            ? .object([
                "input_tokens": .number(Double(reply.inputTokens)),
                "input_tokens_details": .object(["cached_tokens": .number(0)]),
                "output_tokens": .number(Double(reply.outputTokens)),
                "output_tokens_details": .object(["reasoning_tokens": .number(0)]),
                "total_tokens": .number(Double(reply.inputTokens + reply.outputTokens)),
            ]) : .null
        return .object([
            "id": .string(responseID), "object": .string("response"), "created_at": .number(created),
            "status": .string(completed ? "completed" : "in_progress"), "background": .bool(false),
            "error": .null, "incomplete_details": .null, "instructions": request["instructions"] ?? .null,
            "max_output_tokens": request["max_output_tokens"] ?? .null, "model": .string(reply.model),
            "output": .array(completed ? responsesOutput(reply) : []), "parallel_tool_calls": .bool(true),
            "previous_response_id": .null, "reasoning": .object(["effort": .null, "summary": .null]),
            "store": .bool(true), "temperature": .number(1),
            "text": .object(["format": .object(["type": .string("text")])]),
            "tool_choice": request["tool_choice"] ?? .string("auto"), "tools": request["tools"] ?? .array([]),
            "top_p": .number(1), "truncation": .string("disabled"), "usage": usage, "user": .null,
            "metadata": .object([:]),
        ])
    }

    static func responsesBody(_ reply: MockReply, request: [String: JSONValue]) -> [UInt8] {
        bytes(responseObject(reply, request: request, completed: true))
    }

    /// The event stream: the response created and in progress, each output item added, its
    /// content streamed and done, then the response completed with its usage.
    static func responsesEvents(_ reply: MockReply, request: [String: JSONValue]) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        func emit(_ type: String, _ members: [String: JSONValue]) {
            var object = members
            object["type"] = .string(type)
            object["sequence_number"] = .number(Double(events.count))
            events.append(event(type, .object(object)))
        }
        emit("response.created", ["response": responseObject(reply, request: request, completed: false)])
        emit("response.in_progress", ["response": responseObject(reply, request: request, completed: false)])
        if reply.toolCalls.isEmpty {
            let item = JSONValue.string(responseMessageID)
            emit(
                "response.output_item.added",
                ["output_index": .number(0), "item": responsesMessage(text: nil, done: false)]
            )
            emit(
                "response.content_part.added",
                [
                    "item_id": item, "output_index": .number(0), "content_index": .number(0),
                    "part": responsesTextPart(""),
                ]
            )
            for word in reply.words {
                emit(
                    "response.output_text.delta",
                    [
                        "item_id": item, "output_index": .number(0), "content_index": .number(0),
                        "delta": .string(word), "logprobs": .array([]),
                    ]
                )
            }
            emit(
                "response.output_text.done",
                [
                    "item_id": item, "output_index": .number(0), "content_index": .number(0),
                    "text": .string(reply.text), "logprobs": .array([]),
                ]
            )
            emit(
                "response.content_part.done",
                [
                    "item_id": item, "output_index": .number(0), "content_index": .number(0),
                    "part": responsesTextPart(reply.text),
                ]
            )
            emit(
                "response.output_item.done",
                ["output_index": .number(0), "item": responsesMessage(text: reply.text, done: true)]
            )
        } else {
            for (index, call) in reply.toolCalls.enumerated() {
                let position = JSONValue.number(Double(index))
                let item = JSONValue.string("fc_mock0\(index + 1)")
                emit(
                    "response.output_item.added",
                    [
                        "output_index": position,
                        "item": responsesFunctionCall(call, index: index, arguments: "", done: false),
                    ]
                )
                for fragment in fragments(of: call.argumentsText) {
                    emit(
                        "response.function_call_arguments.delta",
                        ["item_id": item, "output_index": position, "delta": .string(fragment)]
                    )
                }
                emit(
                    "response.function_call_arguments.done",
                    [
                        "item_id": item, "output_index": position, "name": .string(call.name),
                        "arguments": .string(call.argumentsText),
                    ]
                )
                emit(
                    "response.output_item.done",
                    [
                        "output_index": position,
                        "item": responsesFunctionCall(call, index: index, arguments: call.argumentsText, done: true),
                    ]
                )
            }
        }
        emit("response.completed", ["response": responseObject(reply, request: request, completed: true)])
        return events
    }
}
