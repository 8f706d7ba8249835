internal import ByokyCore

/// Reads Anthropic's stream: `message_start`, blocks, `message_delta`, `message_stop` (and `ping`, `error`).
struct AnthropicStreamReader: StreamEventReader {
    private(set) var isComplete = false
    private var hasStarted = false
    /// Maps upstream block indices to ours (blocks we skip, such as server-tool blocks, leave no gap).
    private var blockIndices: [Int: Int] = [:]
    private var blocks = BlockNumbering()
    private var usage = ChatUsage()

    mutating func read(_ event: ServerSentEvent, into events: inout [StreamEvent]) {
        guard !isComplete, let json = try? JSONNode.parse(event.data) else { return }
        switch json["type"]?.stringValue {
        case "message_start":
            guard !hasStarted else { return }
            hasStarted = true
            let message = json["message"]
            usage = AnthropicAdapter.readUsage(message?["usage"])
            events.append(
                .messageStart(id: message?["id"]?.stringValue, model: message?["model"]?.stringValue, usage: usage)
            )
        case "content_block_start":
            guard let upstreamIndex = json["index"]?.intValue, let block = json["content_block"] else { return }
            let kind: StreamBlock
            switch block["type"]?.stringValue {
            case "text": kind = .text
            case "tool_use":
                kind = .toolUse(
                    id: block["id"]?.stringValue ?? "",
                    name: block["name"]?.stringValue ?? "",
                    thoughtSignature: nil
                )
            case "thinking": kind = .thinking(origin: .anthropic)
            case "redacted_thinking": kind = .redactedThinking(data: block["data"]?.stringValue ?? "")
            default: return
            }
            let index = blocks.open(kind, into: &events)
            blockIndices[upstreamIndex] = index
            if case .text = kind, let text = block["text"]?.stringValue, !text.isEmpty {
                events.append(.textDelta(index: index, text: text))
            }
        case "content_block_delta":
            guard let upstreamIndex = json["index"]?.intValue, let index = blockIndices[upstreamIndex],
                let delta = json["delta"]
            else { return }
            switch delta["type"]?.stringValue {
            case "text_delta": events.append(.textDelta(index: index, text: delta["text"]?.stringValue ?? ""))
            case "input_json_delta":
                events.append(.toolArgumentsDelta(index: index, json: delta["partial_json"]?.stringValue ?? ""))
            case "thinking_delta":
                events.append(.thinkingDelta(index: index, text: delta["thinking"]?.stringValue ?? ""))
            case "signature_delta":
                events.append(.thinkingSignature(index: index, signature: delta["signature"]?.stringValue ?? ""))
            default: return
            }
        case "content_block_stop":
            guard let upstreamIndex = json["index"]?.intValue,
                let index = blockIndices.removeValue(forKey: upstreamIndex)
            else { return }
            events.append(.blockStop(index: index))
        case "message_delta":
            let delta = json["delta"]
            var update = AnthropicAdapter.readUsage(json["usage"])
            if json["usage"]?["input_tokens"] == nil { update.inputTokens = 0 }
            usage.merge(update)
            events.append(
                .messageDelta(
                    stopReason: delta?["stop_reason"]?.stringValue.map(AnthropicAdapter.stopReason(from:)),
                    stopSequence: delta?["stop_sequence"]?.stringValue,
                    usage: usage
                )
            )
        case "message_stop":
            isComplete = true
            events.append(.messageStop)
        case "error":
            isComplete = true
            let error = json["error"]
            events.append(
                .error(
                    ProviderErrorInfo(
                        type: error?["type"]?.stringValue ?? "api_error",
                        message: error?["message"]?.stringValue ?? "Anthropic stream error",
                        status: Self.status(forType: error?["type"]?.stringValue)
                    )
                )
            )
        default:
            return
        }
    }

    mutating func finish(into events: inout [StreamEvent]) {
        guard !isComplete else { return }
        isComplete = true
        events.append(Self.truncation(.anthropic))
    }

    static func status(forType type: String?) -> Int {
        switch type {
        case "invalid_request_error": 400
        case "authentication_error": 401
        case "permission_error": 403
        case "not_found_error": 404
        case "rate_limit_error": 429
        case "overloaded_error": 529
        default: 500
        }
    }
}
