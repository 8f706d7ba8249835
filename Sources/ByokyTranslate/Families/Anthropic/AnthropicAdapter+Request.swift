internal import ByokyCore

extension AnthropicAdapter {
    static func readRequest(_ body: JSONNode) throws(ByokyError) -> ChatRequest {
        guard let root = body.objectValue else { throw .malformedRequest("the body must be a JSON object") }
        var request = ChatRequest()
        request.model = root["model"]?.stringValue
        switch root["system"] {
        case .string(let text)?:
            if !text.isEmpty { request.system = [SystemPart(text: text)] }
        case .array(let parts)?:
            for part in parts {
                guard part["type"]?.stringValue == "text", let text = part["text"]?.stringValue else {
                    throw .malformedRequest("system blocks must be text blocks")
                }
                if !text.isEmpty { request.system.append(SystemPart(text: text)) }
            }
        default: break
        }
        for message in root["messages"]?.arrayValue ?? [] {
            guard let roleName = message["role"]?.stringValue, let role = ChatMessage.Role(rawValue: roleName) else {
                throw .malformedRequest("messages must have the role user or assistant")
            }
            var blocks: [ContentBlock] = []
            switch message["content"] {
            case .string(let text)?: blocks = [.text(text)]
            case .array(let items)?:
                for item in items { blocks.append(contentsOf: try readBlock(item, request: &request)) }
            default: throw .malformedRequest("message content must be a string or an array of blocks")
            }
            request.messages.append(ChatMessage(role: role, content: blocks))
        }
        request.maxTokens = root["max_tokens"]?.countValue
        request.temperature = root["temperature"]?.doubleValue
        request.topP = root["top_p"]?.doubleValue
        request.topK = root["top_k"]?.countValue
        request.stopSequences = (root["stop_sequences"]?.arrayValue ?? []).compactMap(\.stringValue).filter {
            !$0.isEmpty
        }
        request.isStreaming = root["stream"]?.boolValue ?? false
        request.userID = root["metadata"]?["user_id"]?.stringValue
        for tool in root["tools"]?.arrayValue ?? [] {
            let type = tool["type"]?.stringValue ?? "custom"
            guard type == "custom", let name = tool["name"]?.stringValue else {
                request.unsupportedFeatures.append("the Anthropic server tool '\(type)'")
                continue
            }
            request.tools.append(
                ToolDefinition(
                    name: name,
                    description: tool["description"]?.stringValue,
                    parameters: SchemaAdapter.objectRoot(tool["input_schema"]),
                    strict: tool["strict"]?.boolValue
                )
            )
        }
        if let choice = root["tool_choice"] {
            switch choice["type"]?.stringValue {
            case "any": request.toolChoice = .any
            case "none": request.toolChoice = ToolChoice.none
            case "tool": request.toolChoice = choice["name"]?.stringValue.map { .tool(name: $0) }
            default: request.toolChoice = .auto
            }
            if choice["disable_parallel_tool_use"]?.boolValue == true { request.parallelToolCalls = false }
        }
        switch root["thinking"]?["type"]?.stringValue {
        case "enabled":
            request.reasoning = ReasoningRequest(budgetTokens: root["thinking"]?["budget_tokens"]?.countValue)
        case "adaptive": request.reasoning = ReasoningRequest(effort: root["output_config"]?["effort"]?.stringValue)
        default: break
        }
        let format = root["output_config"]?["format"] ?? root["output_format"]
        if let format, format["type"]?.stringValue == "json_schema" {
            request.responseFormat = .jsonSchema(
                name: nil,
                schema: format["schema"] ?? .object(JSONObject()),
                strict: true
            )
        }
        if root["container"] != nil || root["mcp_servers"] != nil {
            request.unsupportedFeatures.append("Anthropic containers and MCP servers")
        }
        return request
    }

    private static func readBlock(_ item: JSONNode, request: inout ChatRequest) throws(ByokyError) -> [ContentBlock] {
        let type = item["type"]?.stringValue ?? ""
        switch type {
        case "text":
            return [.text(item["text"]?.stringValue ?? "")]
        case "image", "document":
            if item["citations"]?["enabled"]?.boolValue == true {
                request.unsupportedFeatures.append("document citations")
            }
            guard let source = try readSource(item["source"]) else { return [] }
            switch source {
            case .text(let text): return [.text(text)]
            case .media(let media):
                return type == "image" ? [.image(media)] : [.document(media, title: item["title"]?.stringValue)]
            case .other(let kind):
                request.unsupportedFeatures.append("Anthropic '\(kind)' \(type) sources")
                return []
            }
        case "tool_use":
            return [
                .toolUse(
                    ToolUse(
                        id: item["id"]?.stringValue ?? "",
                        name: item["name"]?.stringValue ?? "",
                        arguments: .json(item["input"] ?? .object(JSONObject()))
                    )
                )
            ]
        case "tool_result":
            var content: [ContentBlock] = []
            switch item["content"] {
            case .string(let text)?: content = [.text(text)]
            case .array(let parts)?:
                for part in parts { content.append(contentsOf: try readBlock(part, request: &request)) }
            default: break
            }
            return [
                .toolResult(
                    ToolResult(
                        toolUseID: item["tool_use_id"]?.stringValue ?? "",
                        content: content,
                        isError: item["is_error"]?.boolValue ?? false
                    )
                )
            ]
        case "thinking":
            return [
                .thinking(
                    Thinking(
                        text: item["thinking"]?.stringValue ?? "",
                        signature: item["signature"]?.stringValue,
                        origin: .anthropic
                    )
                )
            ]
        case "redacted_thinking":
            return [.redactedThinking(data: item["data"]?.stringValue ?? "")]
        default:
            request.unsupportedFeatures.append("Anthropic '\(type)' content blocks")
            return []
        }
    }

    private enum Source {
        case media(MediaSource)
        case text(String)
        case other(String)
    }

    private static func readSource(_ source: JSONNode?) throws(ByokyError) -> Source? {
        switch source?["type"]?.stringValue {
        case "base64":
            guard let mediaType = source?["media_type"]?.stringValue, let data = source?["data"]?.stringValue else {
                throw .malformedRequest("a base64 source needs media_type and data")
            }
            return .media(.base64(mediaType: mediaType, data: data))
        case "url":
            guard let url = source?["url"]?.stringValue else { throw .malformedRequest("a url source needs a url") }
            return .media(.url(url, mediaType: nil))
        case "text":
            return .text(source?["data"]?.stringValue ?? "")
        case let kind:
            return .other(kind ?? "unknown")
        }
    }

    static func writeRequest(
        _ request: ChatRequest,
        context: TranslationContext,
        report: inout TranslationReport
    ) throws(ByokyError) -> WrittenRequest {
        try RequestChecks.refuseUnsupported(request, target: .anthropic)
        if let count = request.candidateCount, count > 1 {
            throw .unsupported("several completions per request (n > 1)", target: .anthropic)
        }
        var system = request.system.map(\.text)
        var outputConfig: JSONNode?
        switch request.responseFormat {
        case .json?:
            system.append("Respond with valid JSON only. Do not include any prose outside the JSON object.")
            report.note("JSON mode sent to Anthropic as an instruction")
        case .jsonSchema(_, let schema, _)?:
            outputConfig = .object(["format": .object(["type": .string("json_schema"), "schema": schema])])
        case nil: break
        }
        let defaultMaxTokens = min(context.targetModelInfo?.maxOutputTokens ?? 8192, 32000)
        var maxTokens = request.maxTokens ?? defaultMaxTokens
        var thinking: JSONNode?
        var temperature = request.temperature.map { min(max($0, 0), 1) }
        if let asked = request.temperature, asked > 1 {
            report.note("temperature \(asked) lowered to 1, Claude's maximum")
        }
        var topP = request.topP
        var topK = request.topK
        if let reasoning = request.reasoning, reasoning.isEnabled {
            let budget = max(1024, reasoning.resolvedBudget(maxTokens: request.maxTokens))
            if maxTokens <= budget { maxTokens = budget + (request.maxTokens ?? 4096) }
            thinking = .object(["type": .string("enabled"), "budget_tokens": .int(budget)])
            if temperature != nil || topK != nil {
                report.note("temperature and top_k dropped: Anthropic thinking needs defaults")
            }
            temperature = nil
            topK = nil
            if let value = topP, value < 0.95 { topP = 0.95 }
        }
        if temperature != nil, topP != nil {
            topP = nil
            report.note("top_p dropped: Claude models accept temperature or top_p, not both")
        }
        var messages: [JSONNode] = []
        for message in request.messages {
            var blocks: [JSONNode] = []
            for block in message.content {
                if let node = try writeBlock(block, role: message.role, context: context, report: &report) {
                    blocks.append(node)
                }
            }
            if blocks.isEmpty {
                report.note("empty message left out")
                continue
            }
            let content: JSONNode =
                if blocks.count == 1, blocks[0]["type"]?.stringValue == "text", let text = blocks[0]["text"] {
                    text
                } else {
                    .array(blocks)
                }
            messages.append(.object(["role": .string(message.role.rawValue), "content": content]))
        }
        var toolChoice: JSONNode?
        switch request.toolChoice {
        case .auto?: toolChoice = .object(["type": .string("auto")])
        case .any?: toolChoice = .object(["type": .string("any")])
        case .none?: toolChoice = .object(["type": .string("none")])
        case .tool(let name)?: toolChoice = .object(["type": .string("tool"), "name": .string(name)])
        case nil: break
        }
        if request.parallelToolCalls == false, !request.tools.isEmpty {
            var choice = toolChoice?.objectValue ?? JSONObject([("type", .string("auto"))])
            if choice["type"]?.stringValue != "none" { choice["disable_parallel_tool_use"] = .bool(true) }
            toolChoice = .object(choice)
        }
        let tools: [JSONNode] = request.tools.map { tool in
            .object([
                "name": .string(tool.name),
                "description": tool.description.map(JSONNode.string),
                "input_schema": SchemaAdapter.objectRoot(tool.parameters),
            ])
        }
        if request.seed != nil || request.frequencyPenalty != nil || request.presencePenalty != nil {
            report.note("seed and penalties dropped: Anthropic has none")
        }
        return WrittenRequest(
            tree: .object([
                "model": .string(context.targetModel),
                "max_tokens": .int(maxTokens),
                "messages": .array(messages),
                "system": system.isEmpty ? nil : .string(system.joined(separator: "\n\n")),
                "temperature": temperature.map(JSONNode.double),
                "top_p": topP.map(JSONNode.double),
                "top_k": topK.map(JSONNode.int),
                "stop_sequences": request.stopSequences.isEmpty
                    ? nil : .array(request.stopSequences.map(JSONNode.string)),
                "stream": request.isStreaming ? .bool(true) : nil,
                "metadata": request.userID.map { .object(["user_id": .string($0)]) },
                "tools": tools.isEmpty ? nil : .array(tools),
                "tool_choice": tools.isEmpty ? nil : toolChoice,
                "thinking": thinking,
                "output_config": outputConfig,
            ])
        )
    }

    private static func writeBlock(
        _ block: ContentBlock,
        role: ChatMessage.Role,
        context: TranslationContext,
        report: inout TranslationReport
    ) throws(ByokyError) -> JSONNode? {
        switch block {
        case .text(let text):
            return text.isEmpty ? nil : .object(["type": .string("text"), "text": .string(text)])
        case .image(let source):
            return .object(["type": .string("image"), "source": sourceNode(source)])
        case .document(let source, let title):
            guard source.mediaType == nil || source.mediaType == "application/pdf" || source.mediaType == "text/plain"
            else {
                throw .unsupported("documents of type \(source.mediaType ?? "unknown")", target: .anthropic)
            }
            return .object([
                "type": .string("document"), "source": sourceNode(source), "title": title.map(JSONNode.string),
            ])
        case .toolUse(let call):
            guard case .json(let input) = call.arguments, input.objectValue != nil else {
                throw .unsupported("tool-call arguments that are not a JSON object", target: .anthropic)
            }
            return .object([
                "type": .string("tool_use"),
                "id": .string(ToolCallID.forTarget(call.id, family: .anthropic, provider: context.targetProvider)),
                "name": .string(call.name),
                "input": input,
            ])
        case .toolResult(let result):
            var parts: [JSONNode] = []
            for part in result.content {
                if let node = try writeBlock(part, role: role, context: context, report: &report) { parts.append(node) }
            }
            let content: JSONNode? =
                parts.allSatisfy({ $0["type"]?.stringValue == "text" }) ? .string(result.text) : .array(parts)
            return .object([
                "type": .string("tool_result"),
                "tool_use_id": .string(
                    ToolCallID.forTarget(result.toolUseID, family: .anthropic, provider: context.targetProvider)
                ),
                "content": content,
                "is_error": result.isError ? .bool(true) : nil,
            ])
        case .thinking(let thinking):
            guard thinking.origin == .anthropic, let signature = thinking.signature else {
                report.note("thinking dropped: only signed Claude thinking can be sent back to Claude")
                return nil
            }
            return .object([
                "type": .string("thinking"), "thinking": .string(thinking.text), "signature": .string(signature),
            ])
        case .redactedThinking(let data):
            return .object(["type": .string("redacted_thinking"), "data": .string(data)])
        }
    }

    private static func sourceNode(_ source: MediaSource) -> JSONNode {
        switch source {
        case .base64(let mediaType, let data):
            .object(["type": .string("base64"), "media_type": .string(mediaType), "data": .string(data)])
        case .url(let url, _):
            .object(["type": .string("url"), "url": .string(url)])
        }
    }
}
