internal import ByokyCore

extension OpenAIAdapter {
    static func readRequest(_ body: JSONNode) throws(ByokyError) -> ChatRequest {
        guard let root = body.objectValue else { throw .malformedRequest("the body must be a JSON object") }
        var request = ChatRequest()
        request.model = root["model"]?.stringValue
        var pendingResults: [ContentBlock] = []
        func flushResults() {
            guard !pendingResults.isEmpty else { return }
            request.messages.append(ChatMessage(role: .user, content: pendingResults))
            pendingResults = []
        }
        guard let messages = root["messages"]?.arrayValue else { throw .malformedRequest("messages must be an array") }
        for message in messages {
            switch message["role"]?.stringValue {
            case "system", "developer":
                let text = flattenedText(message["content"])
                if !text.isEmpty {
                    request.system.append(
                        SystemPart(text: text, isDeveloper: message["role"]?.stringValue == "developer")
                    )
                }
            case "user":
                var blocks = pendingResults
                pendingResults = []
                blocks.append(contentsOf: try readUserContent(message["content"], request: &request))
                request.messages.append(ChatMessage(role: .user, content: blocks))
            case "assistant":
                flushResults()
                var blocks: [ContentBlock] = []
                for key in ["reasoning_content", "reasoning"] {
                    if let text = message[key]?.stringValue, !text.isEmpty {
                        blocks.append(.thinking(Thinking(text: text, origin: .summary)))
                    }
                }
                let text = flattenedText(message["content"])
                if !text.isEmpty { blocks.append(.text(text)) }
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    guard let function = call["function"], let name = function["name"]?.stringValue else {
                        request.unsupportedFeatures.append("OpenAI custom (non-function) tool calls")
                        continue
                    }
                    blocks.append(
                        .toolUse(
                            ToolUse(
                                id: call["id"]?.stringValue ?? "",
                                name: name,
                                arguments: .parse(function["arguments"]?.stringValue ?? "")
                            )
                        )
                    )
                }
                request.messages.append(ChatMessage(role: .assistant, content: blocks))
            case "tool":
                pendingResults.append(
                    .toolResult(
                        ToolResult(
                            toolUseID: message["tool_call_id"]?.stringValue ?? "",
                            content: [.text(flattenedText(message["content"]))]
                        )
                    )
                )
            case "function":
                request.unsupportedFeatures.append("legacy OpenAI function messages")
            default:
                throw .malformedRequest("unknown message role")
            }
        }
        flushResults()
        request.maxTokens = root["max_completion_tokens"]?.countValue ?? root["max_tokens"]?.countValue
        request.temperature = root["temperature"]?.doubleValue
        request.topP = root["top_p"]?.doubleValue
        switch root["stop"] {
        case .string(let stop)?: request.stopSequences = stop.isEmpty ? [] : [stop]
        case .array(let stops)?: request.stopSequences = stops.compactMap(\.stringValue).filter { !$0.isEmpty }
        default: break
        }
        request.isStreaming = root["stream"]?.boolValue ?? false
        request.includeStreamUsage = root["stream_options"]?["include_usage"]?.boolValue ?? false
        request.userID = root["user"]?.stringValue ?? root["safety_identifier"]?.stringValue
        request.candidateCount = root["n"]?.countValue
        request.seed = root["seed"]?.intValue
        request.frequencyPenalty = root["frequency_penalty"]?.doubleValue
        request.presencePenalty = root["presence_penalty"]?.doubleValue
        if let effort = root["reasoning_effort"]?.stringValue {
            request.reasoning = ReasoningRequest(effort: effort, isEnabled: effort != "none")
        }
        switch root["response_format"]?["type"]?.stringValue {
        case "json_object": request.responseFormat = .json
        case "json_schema":
            let spec = root["response_format"]?["json_schema"]
            request.responseFormat = .jsonSchema(
                name: spec?["name"]?.stringValue,
                schema: spec?["schema"] ?? .object(JSONObject()),
                strict: spec?["strict"]?.boolValue
            )
        default: break
        }
        for tool in root["tools"]?.arrayValue ?? [] {
            guard tool["type"]?.stringValue == "function", let function = tool["function"],
                let name = function["name"]?.stringValue
            else {
                request.unsupportedFeatures.append("OpenAI '\(tool["type"]?.stringValue ?? "unknown")' tools")
                continue
            }
            request.tools.append(
                ToolDefinition(
                    name: name,
                    description: function["description"]?.stringValue,
                    parameters: SchemaAdapter.objectRoot(function["parameters"]),
                    strict: function["strict"]?.boolValue
                )
            )
        }
        switch root["tool_choice"] {
        case .string("none")?: request.toolChoice = ToolChoice.none
        case .string("required")?: request.toolChoice = .any
        case .string("auto")?: request.toolChoice = .auto
        case .object(let choice)?:
            if let name = choice["function"]?["name"]?.stringValue { request.toolChoice = .tool(name: name) }
        default: break
        }
        request.parallelToolCalls = root["parallel_tool_calls"]?.boolValue
        if root["logprobs"]?.boolValue == true { request.unsupportedFeatures.append("logprobs") }
        if root["logit_bias"]?.objectValue?.isEmpty == false { request.unsupportedFeatures.append("logit_bias") }
        if let modalities = root["modalities"]?.arrayValue, modalities.contains(.string("audio")) {
            request.unsupportedFeatures.append("audio output")
        }
        if root["functions"] != nil { request.unsupportedFeatures.append("legacy OpenAI functions") }
        return request
    }

    private static func readUserContent(
        _ content: JSONNode?,
        request: inout ChatRequest
    ) throws(ByokyError) -> [ContentBlock] {
        switch content {
        case .string(let text)?:
            return text.isEmpty ? [] : [.text(text)]
        case .array(let parts)?:
            var blocks: [ContentBlock] = []
            for part in parts {
                switch part["type"]?.stringValue {
                case "text":
                    blocks.append(.text(part["text"]?.stringValue ?? ""))
                case "image_url":
                    let url = part["image_url"]?["url"]?.stringValue ?? part["image_url"]?.stringValue ?? ""
                    guard let source = MediaSource.parse(url: url) else {
                        throw .malformedRequest("image_url must be an http(s) URL or a base64 data URL")
                    }
                    blocks.append(.image(source))
                case "file":
                    let file = part["file"]
                    guard let data = file?["file_data"]?.stringValue, let source = MediaSource.parse(url: data) else {
                        request.unsupportedFeatures.append("OpenAI file references (file_id)")
                        continue
                    }
                    blocks.append(.document(source, title: file?["filename"]?.stringValue))
                case let type:
                    request.unsupportedFeatures.append("OpenAI '\(type ?? "unknown")' content parts")
                }
            }
            return blocks
        case nil, .null?:
            return []
        default:
            throw .malformedRequest("message content must be a string or an array of parts")
        }
    }

    /// Providers that take `max_completion_tokens` and reject sampling parameters on reasoning models.
    private static func isOpenAIProper(_ provider: ProviderID) -> Bool {
        provider == .openai || provider == .azureOpenAI
    }

    /// Whether `model` names a reasoning model: it starts with `o1`, `o3`, `o4` or `gpt-5` in any
    /// ASCII case (compared over its bytes: no lower-cased copy for every request).
    static func isReasoningModel(_ model: String) -> Bool {
        var model = model
        return model.withUTF8 { bytes in
            func startsWith(_ prefix: StaticString) -> Bool {
                guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
                return HeaderText.bytes(
                    UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[..<prefix.utf8CodeUnitCount])),
                    are: prefix
                )
            }
            return startsWith("o1") || startsWith("o3") || startsWith("o4") || startsWith("gpt-5")
        }
    }

    static func writeRequest(
        _ request: ChatRequest,
        context: TranslationContext,
        report: inout TranslationReport
    ) throws(ByokyError) -> WrittenRequest {
        try RequestChecks.refuseUnsupported(request, target: .openai)
        let provider = context.targetProvider
        // Written straight to bytes, member by member, in the order the tree had them.
        var output = JSONOutput()
        output.beginObject()
        output.member("model", context.targetModel)
        output.key("messages")
        output.beginArray()
        for part in request.system {
            output.beginObject()
            output.member("role", part.isDeveloper && isOpenAIProper(provider) ? "developer" : "system")
            output.member("content", part.text)
            output.endObject()
        }
        for message in request.messages {
            switch message.role {
            case .user where message.content.allSatisfy(\.isText):
                // The usual turn, text alone: written as it is, no message built for it.
                var texts: [String] = []
                for case .text(let text) in message.content { texts.append(text) }
                guard !texts.isEmpty else { continue }
                output.beginObject()
                output.member("role", "user")
                output.member("content", ChatMessagesShape.userContent(texts))
                output.endObject()
            case .user:
                let messages = try ChatMessagesShape.messages(
                    for: message,
                    family: .openai,
                    provider: provider,
                    report: &report
                ) {
                    source,
                    title throws(ByokyError) in
                    guard isOpenAIProper(provider), case .base64 = source, source.mediaType == "application/pdf" else {
                        throw .unsupported("documents (only OpenAI itself takes base64 PDFs)", target: .openai)
                    }
                    return .object([
                        "type": .string("file"),
                        "file": .object([
                            "filename": .string(title ?? "document.pdf"), "file_data": .string(source.urlString),
                        ]),
                    ])
                }
                for message in messages { output.node(message) }
            case .assistant:
                var texts: [String] = []
                var calls: [ToolUse] = []
                for block in message.content {
                    switch block {
                    case .text(let text): texts.append(text)
                    case .toolUse(let call): calls.append(call)
                    case .thinking, .redactedThinking:
                        report.note("thinking in earlier turns dropped: the OpenAI API takes none back")
                    case .image, .document, .toolResult:
                        continue
                    }
                }
                output.beginObject()
                output.member("role", "assistant")
                output.member("content", texts.isEmpty ? nil : texts.joined(separator: "\n"))
                let id = { (call: ToolUse) in ToolCallID.forTarget(call.id, family: .openai, provider: provider) }
                ChatMessagesShape.writeToolCalls(calls, id: id, to: &output)
                output.endObject()
            }
        }
        output.endArray()
        let reasoningTarget = isOpenAIProper(provider) && isReasoningModel(context.targetModel)
        var temperature = request.temperature
        var topP = request.topP
        var reasoningEffort: String?
        if reasoningTarget {
            if temperature != nil || topP != nil {
                report.note("temperature and top_p dropped: reasoning models reject them")
            }
            temperature = nil
            topP = nil
            if let reasoning = request.reasoning {
                reasoningEffort = reasoning.isEnabled ? reasoning.resolvedEffort : "minimal"
            }
        } else if request.reasoning?.isEnabled == true {
            report.note("reasoning request dropped: the target model takes no reasoning setting")
        }
        if request.topK != nil { report.note("top_k dropped: the OpenAI API has none") }
        var responseFormat: JSONNode?
        switch request.responseFormat {
        case .json?: responseFormat = .object(["type": .string("json_object")])
        case .jsonSchema(let name, let schema, let strict)?:
            responseFormat = .object([
                "type": .string("json_schema"),
                "json_schema": .object([
                    "name": .string(name ?? "response"), "schema": schema, "strict": strict.map(JSONNode.bool),
                ]),
            ])
        case nil: break
        }
        let tools: [JSONNode] = request.tools.map { tool in
            .object([
                "type": .string("function"),
                "function": .object([
                    "name": .string(tool.name),
                    "description": tool.description.map(JSONNode.string),
                    "parameters": SchemaAdapter.objectRoot(tool.parameters),
                    "strict": tool.strict.map(JSONNode.bool),
                ]),
            ])
        }
        var toolChoice: JSONNode?
        switch request.toolChoice {
        case .auto?: toolChoice = .string("auto")
        case .any?: toolChoice = .string("required")
        case .none?: toolChoice = .string("none")
        case .tool(let name)?:
            toolChoice = .object(["type": .string("function"), "function": .object(["name": .string(name)])])
        case nil: break
        }
        if let maxTokens = request.maxTokens {
            output.member(isOpenAIProper(provider) ? "max_completion_tokens" : "max_tokens", int: maxTokens)
        }
        output.member("temperature", ifPresent: temperature.map(JSONNode.double))
        output.member("top_p", ifPresent: topP.map(JSONNode.double))
        if !request.stopSequences.isEmpty {
            output.key("stop")
            output.beginArray()
            for sequence in request.stopSequences { output.string(sequence) }
            output.endArray()
        }
        if request.isStreaming {
            output.key("stream")
            output.bool(true)
            output.key("stream_options")
            output.beginObject()
            output.key("include_usage")
            output.bool(true)
            output.endObject()
        }
        if let user = request.userID { output.member("user", user) }
        if let count = request.candidateCount { output.member("n", int: count) }
        if let seed = request.seed { output.member("seed", int: seed) }
        output.member("frequency_penalty", ifPresent: request.frequencyPenalty.map(JSONNode.double))
        output.member("presence_penalty", ifPresent: request.presencePenalty.map(JSONNode.double))
        if let reasoningEffort { output.member("reasoning_effort", reasoningEffort) }
        output.member("response_format", ifPresent: responseFormat)
        if !tools.isEmpty {
            output.key("tools")
            output.beginArray()
            for tool in tools { output.node(tool) }
            output.endArray()
            output.member("tool_choice", ifPresent: toolChoice)
            if let parallel = request.parallelToolCalls {
                output.key("parallel_tool_calls")
                output.bool(parallel)
            }
        }
        output.endObject()
        return WrittenRequest(body: output.finish())
    }
}
