internal import ByokyCore

extension CohereAdapter {
    static func readRequest(_ body: JSONNode) throws(ByokyError) -> ChatRequest {
        guard let root = body.objectValue else { throw .malformedRequest("the body must be a JSON object") }
        var request = ChatRequest()
        request.model = root["model"]?.stringValue
        var pendingResults: [ContentBlock] = []
        guard let messages = root["messages"]?.arrayValue else { throw .malformedRequest("messages must be an array") }
        for message in messages {
            switch message["role"]?.stringValue {
            case "system":
                let text = OpenAIAdapter.flattenedText(message["content"])
                if !text.isEmpty { request.system.append(SystemPart(text: text)) }
            case "user":
                var blocks = pendingResults
                pendingResults = []
                switch message["content"] {
                case .string(let text)?: if !text.isEmpty { blocks.append(.text(text)) }
                case .array(let parts)?:
                    for part in parts {
                        switch part["type"]?.stringValue {
                        case "text": blocks.append(.text(part["text"]?.stringValue ?? ""))
                        case "image_url":
                            guard let url = part["image_url"]?["url"]?.stringValue,
                                let source = MediaSource.parse(url: url)
                            else {
                                throw .malformedRequest("image_url must be an http(s) URL or a base64 data URL")
                            }
                            blocks.append(.image(source))
                        case let type:
                            request.unsupportedFeatures.append("Cohere '\(type ?? "unknown")' content")
                        }
                    }
                default: break
                }
                request.messages.append(ChatMessage(role: .user, content: blocks))
            case "assistant":
                if !pendingResults.isEmpty {
                    request.messages.append(ChatMessage(role: .user, content: pendingResults))
                    pendingResults = []
                }
                request.messages.append(ChatMessage(role: .assistant, content: readAssistant(message, context: nil)))
            case "tool":
                var texts: [String] = []
                switch message["content"] {
                case .string(let text)?: texts = [text]
                case .array(let items)?:
                    for item in items {
                        if let text = item["text"]?.stringValue {
                            texts.append(text)
                        } else if let data = item["document"]?["data"] {
                            texts.append(data.stringValue ?? data.jsonString)
                        }
                    }
                default: break
                }
                pendingResults.append(
                    .toolResult(
                        ToolResult(
                            toolUseID: message["tool_call_id"]?.stringValue ?? "",
                            content: [.text(texts.joined(separator: "\n"))]
                        )
                    )
                )
            default:
                throw .malformedRequest("unknown message role")
            }
        }
        if !pendingResults.isEmpty { request.messages.append(ChatMessage(role: .user, content: pendingResults)) }
        request.maxTokens = root["max_tokens"]?.countValue
        request.temperature = root["temperature"]?.doubleValue
        request.topP = root["p"]?.doubleValue
        request.topK = root["k"]?.countValue
        request.stopSequences = (root["stop_sequences"]?.arrayValue ?? []).compactMap(\.stringValue).filter {
            !$0.isEmpty
        }
        request.isStreaming = root["stream"]?.boolValue ?? false
        request.seed = root["seed"]?.intValue
        request.frequencyPenalty = root["frequency_penalty"]?.doubleValue
        request.presencePenalty = root["presence_penalty"]?.doubleValue
        if root["response_format"]?["type"]?.stringValue == "json_object" {
            if let schema = root["response_format"]?["json_schema"] {
                request.responseFormat = .jsonSchema(name: nil, schema: schema, strict: nil)
            } else {
                request.responseFormat = .json
            }
        }
        let strict = root["strict_tools"]?.boolValue
        for tool in root["tools"]?.arrayValue ?? [] {
            guard let function = tool["function"], let name = function["name"]?.stringValue else {
                request.unsupportedFeatures.append("Cohere tools that are not functions")
                continue
            }
            request.tools.append(
                ToolDefinition(
                    name: name,
                    description: function["description"]?.stringValue,
                    parameters: SchemaAdapter.objectRoot(function["parameters"]),
                    strict: strict
                )
            )
        }
        switch root["tool_choice"]?.stringValue {
        case "REQUIRED": request.toolChoice = .any
        case "NONE": request.toolChoice = ToolChoice.none
        default: break
        }
        switch root["thinking"]?["type"]?.stringValue {
        case "enabled":
            request.reasoning = ReasoningRequest(budgetTokens: root["thinking"]?["token_budget"]?.countValue)
        case "disabled": request.reasoning = ReasoningRequest(isEnabled: false)
        default: break
        }
        if let documents = root["documents"]?.arrayValue, !documents.isEmpty {
            request.unsupportedFeatures.append("Cohere RAG documents")
        }
        return request
    }

    static func writeRequest(
        _ request: ChatRequest,
        context: TranslationContext,
        report: inout TranslationReport
    ) throws(ByokyError) -> WrittenRequest {
        try RequestChecks.refuseUnsupported(request, target: .cohere)
        if let count = request.candidateCount, count > 1 {
            throw .unsupported("several completions per request (n > 1)", target: .cohere)
        }
        if case .tool? = request.toolChoice {
            throw .unsupported("forcing one named tool (Cohere can only require some tool)", target: .cohere)
        }
        let provider = context.targetProvider
        var messages: [JSONNode] = []
        if !request.system.isEmpty {
            messages.append(
                .object([
                    "role": .string("system"), "content": .string(request.system.map(\.text).joined(separator: "\n\n")),
                ])
            )
        }
        for message in request.messages {
            switch message.role {
            case .user:
                messages += try ChatMessagesShape.messages(
                    for: message,
                    family: .cohere,
                    provider: provider,
                    report: &report
                ) {
                    _,
                    _ throws(ByokyError) in throw .unsupported("documents in messages", target: .cohere)
                }
            case .assistant:
                var content: [JSONNode] = []
                var plan: [String] = []
                var calls: [JSONNode] = []
                for block in message.content {
                    switch block {
                    case .text(let text):
                        if !text.isEmpty { content.append(.object(["type": .string("text"), "text": .string(text)])) }
                    case .thinking(let thinking) where thinking.origin == .toolPlan: plan.append(thinking.text)
                    case .thinking, .redactedThinking:
                        report.note("thinking in earlier turns dropped: Cohere takes back only tool plans")
                    case .toolUse(let call): calls.append(toolCallNode(call, provider: provider))
                    case .image, .document, .toolResult: continue
                    }
                }
                messages.append(
                    .object([
                        "role": .string("assistant"),
                        "content": content.isEmpty ? nil : .array(content),
                        "tool_plan": plan.isEmpty || calls.isEmpty ? nil : .string(plan.joined(separator: "\n")),
                        "tool_calls": calls.isEmpty ? nil : .array(calls),
                    ])
                )
            }
        }
        var responseFormat: JSONNode?
        switch request.responseFormat {
        case .json?: responseFormat = .object(["type": .string("json_object")])
        case .jsonSchema(_, let schema, _)?:
            responseFormat = .object(["type": .string("json_object"), "json_schema": schema])
        case nil: break
        }
        var toolChoice: JSONNode?
        switch request.toolChoice {
        case .any?: toolChoice = .string("REQUIRED")
        case .none?: toolChoice = .string("NONE")
        default: break
        }
        var thinking: JSONNode?
        if let reasoning = request.reasoning {
            thinking =
                reasoning.isEnabled
                ? .object([
                    "type": .string("enabled"),
                    "token_budget": .int(reasoning.resolvedBudget(maxTokens: request.maxTokens)),
                ])
                : .object(["type": .string("disabled")])
        }
        if request.parallelToolCalls == false { report.note("parallel_tool_calls=false not expressible for Cohere") }
        if request.stopSequences.count > 5 { throw .unsupported("more than 5 stop sequences", target: .cohere) }
        let tools: [JSONNode] = request.tools.map { tool in
            .object([
                "type": .string("function"),
                "function": .object([
                    "name": .string(tool.name),
                    "description": tool.description.map(JSONNode.string),
                    "parameters": SchemaAdapter.objectRoot(tool.parameters),
                ]),
            ])
        }
        return WrittenRequest(
            tree: .object([
                "model": .string(context.targetModel),
                "messages": .array(messages),
                "max_tokens": request.maxTokens.map(JSONNode.int),
                "temperature": request.temperature.map(JSONNode.double),
                "p": request.topP.map(JSONNode.double),
                "k": request.topK.map(JSONNode.int),
                "stop_sequences": request.stopSequences.isEmpty
                    ? nil : .array(request.stopSequences.map(JSONNode.string)),
                "seed": request.seed.map(JSONNode.int),
                "frequency_penalty": request.frequencyPenalty.map(JSONNode.double),
                "presence_penalty": request.presencePenalty.map(JSONNode.double),
                "stream": request.isStreaming ? .bool(true) : nil,
                "response_format": responseFormat,
                "tools": tools.isEmpty ? nil : .array(tools),
                "strict_tools": request.tools.contains { $0.strict == true } ? .bool(true) : nil,
                "tool_choice": tools.isEmpty ? nil : toolChoice,
                "thinking": thinking,
            ])
        )
    }
}
