internal import ByokyCore

extension GeminiAdapter {
    static func readRequest(_ body: JSONNode) throws(ByokyError) -> ChatRequest {
        // Field names may come in snake_case too (proto3 JSON); read them as camelCase.
        guard let root = GeminiFieldNames.normalized(body).objectValue else {
            throw .malformedRequest("the body must be a JSON object")
        }
        var request = ChatRequest()
        for part in root["systemInstruction"]?["parts"]?.arrayValue ?? [] {
            if let text = part["text"]?.stringValue, !text.isEmpty { request.system.append(SystemPart(text: text)) }
        }
        // Calls without ids get ids by position; results without ids pair with the oldest open call of that name.
        var callCount = 0
        var openCalls: [String: [String]] = [:]
        for content in root["contents"]?.arrayValue ?? [] {
            guard let parts = content["parts"]?.arrayValue else { continue }
            let role: ChatMessage.Role = content["role"]?.stringValue == "model" ? .assistant : .user
            var blocks: [ContentBlock] = []
            for part in parts {
                let signature = part["thoughtSignature"]?.stringValue
                if let text = part["text"]?.stringValue {
                    if part["thought"]?.boolValue == true {
                        blocks.append(.thinking(Thinking(text: text, signature: signature, origin: .summary)))
                    } else {
                        blocks.append(.text(text))
                    }
                } else if let inline = part["inlineData"] {
                    let source = MediaSource.base64(
                        mediaType: inline["mimeType"]?.stringValue ?? "application/octet-stream",
                        data: inline["data"]?.stringValue ?? ""
                    )
                    blocks.append(try media(source, request: &request))
                } else if let file = part["fileData"] {
                    let source = MediaSource.url(
                        file["fileUri"]?.stringValue ?? "",
                        mediaType: file["mimeType"]?.stringValue
                    )
                    blocks.append(try media(source, request: &request))
                } else if let call = part["functionCall"] {
                    let name = call["name"]?.stringValue ?? ""
                    let id = call["id"]?.stringValue ?? "call_\(callCount)"
                    callCount += 1
                    openCalls[name, default: []].append(id)
                    blocks.append(
                        .toolUse(
                            ToolUse(
                                id: id,
                                name: name,
                                arguments: .json(call["args"] ?? .object(JSONObject())),
                                thoughtSignature: signature
                            )
                        )
                    )
                } else if let response = part["functionResponse"] {
                    let name = response["name"]?.stringValue ?? ""
                    var id = response["id"]?.stringValue
                    if let given = id {
                        openCalls[name]?.removeAll { $0 == given }
                    } else if var queue = openCalls[name], !queue.isEmpty {
                        id = queue.removeFirst()
                        openCalls[name] = queue
                    }
                    let payload = response["response"] ?? .object(JSONObject())
                    blocks.append(
                        .toolResult(
                            ToolResult(
                                toolUseID: id ?? "call_\(name)",
                                name: name,
                                content: [.text(payload.jsonString)],
                                isError: payload["error"] != nil && payload.objectValue?.count == 1
                            )
                        )
                    )
                } else {
                    let kind = part.objectValue?.members.first?.key ?? "unknown"
                    request.unsupportedFeatures.append("Gemini '\(kind)' parts")
                }
            }
            request.messages.append(ChatMessage(role: role, content: blocks))
        }
        let config = root["generationConfig"]
        request.temperature = config?["temperature"]?.doubleValue
        request.topP = config?["topP"]?.doubleValue
        request.topK = config?["topK"]?.countValue
        request.maxTokens = config?["maxOutputTokens"]?.countValue
        request.stopSequences = (config?["stopSequences"]?.arrayValue ?? []).compactMap(\.stringValue).filter {
            !$0.isEmpty
        }
        request.candidateCount = config?["candidateCount"]?.countValue
        request.seed = config?["seed"]?.intValue
        request.presencePenalty = config?["presencePenalty"]?.doubleValue
        request.frequencyPenalty = config?["frequencyPenalty"]?.doubleValue
        if config?["responseMimeType"]?.stringValue == "application/json" {
            if let schema = config?["responseJsonSchema"] {
                request.responseFormat = .jsonSchema(name: nil, schema: schema, strict: nil)
            } else if let schema = config?["responseSchema"] {
                request.responseFormat = .jsonSchema(name: nil, schema: SchemaAdapter.fromGemini(schema), strict: nil)
            } else {
                request.responseFormat = .json
            }
        }
        if let thinking = config?["thinkingConfig"] {
            // -1 asks for a budget the model chooses; a positive one is a count, held as one.
            let budget = thinking["thinkingBudget"]?.intValue.map { min($0, TokenUsage.largestCount) }
            let level = thinking["thinkingLevel"]?.stringValue?.lowercased()
            if budget == 0 {
                request.reasoning = ReasoningRequest(isEnabled: false)
            } else if budget != nil || level != nil || thinking["includeThoughts"]?.boolValue == true {
                request.reasoning = ReasoningRequest(budgetTokens: budget.flatMap { $0 > 0 ? $0 : nil }, effort: level)
            }
        }
        for tool in root["tools"]?.arrayValue ?? [] {
            guard let declarations = tool["functionDeclarations"]?.arrayValue else {
                let kind = tool.objectValue?.members.first?.key ?? "unknown"
                request.unsupportedFeatures.append("the Gemini built-in tool '\(kind)'")
                continue
            }
            for declaration in declarations {
                let parameters =
                    declaration["parametersJsonSchema"] ?? declaration["parameters"].map(SchemaAdapter.fromGemini)
                request.tools.append(
                    ToolDefinition(
                        name: declaration["name"]?.stringValue ?? "",
                        description: declaration["description"]?.stringValue,
                        parameters: SchemaAdapter.objectRoot(parameters)
                    )
                )
            }
        }
        if let calling = root["toolConfig"]?["functionCallingConfig"] {
            let allowed = (calling["allowedFunctionNames"]?.arrayValue ?? []).compactMap(\.stringValue)
            switch calling["mode"]?.stringValue {
            case "ANY", "VALIDATED": request.toolChoice = allowed.count == 1 ? .tool(name: allowed[0]) : .any
            case "NONE": request.toolChoice = ToolChoice.none
            case "AUTO": request.toolChoice = .auto
            default: break
            }
        }
        if root["cachedContent"] != nil { request.unsupportedFeatures.append("Gemini cached content") }
        return request
    }

    private static func media(_ source: MediaSource, request: inout ChatRequest) throws(ByokyError) -> ContentBlock {
        let type = source.mediaType ?? "image/*"
        if type.hasPrefix("image/") { return .image(source) }
        if type == "application/pdf" || type.hasPrefix("text/") { return .document(source, title: nil) }
        request.unsupportedFeatures.append("\(type) media")
        return .text("")
    }

    static func writeRequest(
        _ request: ChatRequest,
        context: TranslationContext,
        report: inout TranslationReport
    ) throws(ByokyError) -> WrittenRequest {
        try RequestChecks.refuseUnsupported(request, target: .gemini)
        if let count = request.candidateCount, count > 1 {
            throw .unsupported("several completions per request (n > 1) across API families", target: .gemini)
        }
        let isGemini3 = context.targetModel.hasPrefix("gemini-3")
        if !request.tools.isEmpty, request.responseFormat != nil, !isGemini3 {
            throw .unsupported("tools together with a JSON response format (before Gemini 3)", target: .gemini)
        }
        let toolNames = RequestChecks.toolNames(in: request)
        var contents: [JSONNode] = []
        for message in request.messages {
            var parts: [JSONNode] = []
            var trailingMedia: [JSONNode] = []
            var signedFirstCall = false
            for block in message.content {
                switch block {
                case .text(let text):
                    if !text.isEmpty { parts.append(.object(["text": .string(text)])) }
                case .image(let source), .document(let source, _):
                    parts.append(mediaPart(source))
                case .toolUse(let call):
                    guard case .json(let args) = call.arguments, args.objectValue != nil else {
                        throw .unsupported("tool-call arguments that are not a JSON object", target: .gemini)
                    }
                    var signature = call.thoughtSignature
                    if signature == nil, isGemini3, !signedFirstCall {
                        signature = skipSignature
                        report.note("function calls replayed without a Gemini thought signature")
                    }
                    signedFirstCall = true
                    parts.append(
                        .object([
                            "functionCall": .object(["id": .string(call.id), "name": .string(call.name), "args": args]),
                            "thoughtSignature": signature.map(JSONNode.string),
                        ])
                    )
                case .toolResult(let result):
                    let name = result.name ?? toolNames[result.toolUseID] ?? result.toolUseID
                    parts.append(
                        .object([
                            "functionResponse": .object([
                                "id": .string(result.toolUseID), "name": .string(name),
                                "response": responseObject(result),
                            ])
                        ])
                    )
                    for case .image(let source) in result.content {
                        trailingMedia.append(mediaPart(source))
                        report.note("images in tool results sent after the function response")
                    }
                case .thinking(let thinking):
                    if let signature = thinking.signature, thinking.origin == .summary {
                        parts.append(
                            .object([
                                "text": .string(thinking.text), "thought": .bool(true),
                                "thoughtSignature": .string(signature),
                            ])
                        )
                    } else {
                        report.note("thinking in earlier turns dropped: Gemini takes back only its own")
                    }
                case .redactedThinking:
                    report.note("thinking in earlier turns dropped: Gemini takes back only its own")
                }
            }
            parts.append(contentsOf: trailingMedia)
            guard !parts.isEmpty else { continue }
            contents.append(
                .object(["role": .string(message.role == .assistant ? "model" : "user"), "parts": .array(parts)])
            )
        }
        var config = JSONObject()
        if let value = request.temperature { config["temperature"] = .double(value) }
        if let value = request.topP { config["topP"] = .double(value) }
        if let value = request.topK { config["topK"] = .int(value) }
        if let value = request.maxTokens { config["maxOutputTokens"] = .int(value) }
        if !request.stopSequences.isEmpty {
            config["stopSequences"] = .array(request.stopSequences.prefix(5).map(JSONNode.string))
        }
        if request.stopSequences.count > 5 { throw .unsupported("more than 5 stop sequences", target: .gemini) }
        if let value = request.seed { config["seed"] = .int(value) }
        if let value = request.presencePenalty { config["presencePenalty"] = .double(value) }
        if let value = request.frequencyPenalty { config["frequencyPenalty"] = .double(value) }
        switch request.responseFormat {
        case .json?: config["responseMimeType"] = .string("application/json")
        case .jsonSchema(_, let schema, _)?:
            config["responseMimeType"] = .string("application/json")
            config["responseSchema"] = SchemaAdapter.forGemini(schema)
        case nil: break
        }
        if let reasoning = request.reasoning {
            config["thinkingConfig"] =
                reasoning.isEnabled
                ? .object([
                    "thinkingBudget": .int(reasoning.resolvedBudget(maxTokens: request.maxTokens)),
                    "includeThoughts": .bool(true),
                ])
                : .object(["thinkingBudget": .int(0)])
        }
        var toolConfig: JSONNode?
        switch request.toolChoice {
        case .auto?: toolConfig = .object(["functionCallingConfig": .object(["mode": .string("AUTO")])])
        case .any?: toolConfig = .object(["functionCallingConfig": .object(["mode": .string("ANY")])])
        case .none?: toolConfig = .object(["functionCallingConfig": .object(["mode": .string("NONE")])])
        case .tool(let name)?:
            toolConfig = .object([
                "functionCallingConfig": .object([
                    "mode": .string("ANY"), "allowedFunctionNames": .array([.string(name)]),
                ])
            ])
        case nil: break
        }
        if request.parallelToolCalls == false { report.note("parallel_tool_calls=false not expressible for Gemini") }
        let declarations: [JSONNode] = request.tools.map { tool in
            .object([
                "name": .string(tool.name),
                "description": tool.description.map(JSONNode.string),
                "parameters": SchemaAdapter.forGemini(tool.parameters),
            ])
        }
        return WrittenRequest(
            tree: .object([
                "contents": .array(contents),
                "systemInstruction": request.system.isEmpty
                    ? nil : .object(["parts": .array(request.system.map { .object(["text": .string($0.text)]) })]),
                "generationConfig": config.isEmpty ? nil : .object(config),
                "tools": declarations.isEmpty ? nil : .array([.object(["functionDeclarations": .array(declarations)])]),
                "toolConfig": declarations.isEmpty ? nil : toolConfig,
            ])
        )
    }
}
