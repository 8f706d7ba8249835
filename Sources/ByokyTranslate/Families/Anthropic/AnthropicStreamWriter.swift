internal import ByokyCore

/// Writes Anthropic's stream grammar: `message_start`, blocks in order, `message_delta`, `message_stop`.
struct AnthropicStreamWriter: StreamEventWriter {
    private let context: TranslationContext
    private(set) var report = TranslationReport()
    private var hasStarted = false
    private var isDone = false
    private var usage = ChatUsage()
    private var openBlocks: Set<Int> = []
    /// Thinking blocks from other providers have no signature; Claude's grammar ends them with one.
    private var unsignedThinking: Set<Int> = []
    /// The next unused block index, for a refusal block the upstream did not announce.
    private var nextIndex = 0
    private var refusalIndex: Int?

    init(context: TranslationContext) { self.context = context }

    mutating func write(_ event: StreamEvent, to output: inout [UInt8]) {
        guard !isDone else { return }
        switch event {
        case .messageStart(let id, _, let startUsage):
            guard !hasStarted else { return }
            usage = startUsage
            start(id: id, to: &output)
        case .blockStart(let index, let block):
            ensureStarted(&output)
            let node: JSONNode
            switch block {
            case .text: node = .object(["type": .string("text"), "text": .string("")])
            case .toolUse(let id, let name, _):
                node = .object([
                    "type": .string("tool_use"),
                    "id": .string(ToolCallID.forTarget(id, family: .anthropic, provider: .anthropic)),
                    "name": .string(name), "input": .object(JSONObject()),
                ])
            case .thinking(let origin):
                if origin != .anthropic {
                    unsignedThinking.insert(index)
                    report.note("reasoning from another provider shown as unsigned thinking")
                }
                node = .object(["type": .string("thinking"), "thinking": .string("")])
            case .redactedThinking(let data):
                node = .object(["type": .string("redacted_thinking"), "data": .string(data)])
            }
            openBlocks.insert(index)
            nextIndex = max(nextIndex, index + 1)
            frame(
                "content_block_start",
                ["type": .string("content_block_start"), "index": .int(index), "content_block": node],
                &output
            )
        case .textDelta(let index, let text):
            // The hot path: written straight to bytes.
            guard openBlocks.contains(index) else { return }
            output.append(contentsOf: "event: content_block_delta\ndata: ".utf8)
            output.append(contentsOf: #"{"type":"content_block_delta","index":"#.utf8)
            output.append(contentsOf: String(index).utf8)
            output.append(contentsOf: #","delta":{"type":"text_delta","text":"#.utf8)
            JSONNode.writeString(text, to: &output)
            output.append(contentsOf: "}}\n\n".utf8)
        case .toolArgumentsDelta(let index, let json):
            delta(index, ["type": .string("input_json_delta"), "partial_json": .string(json)], &output)
        case .thinkingDelta(let index, let text):
            delta(index, ["type": .string("thinking_delta"), "thinking": .string(text)], &output)
        case .thinkingSignature(let index, let signature):
            unsignedThinking.remove(index)
            delta(index, ["type": .string("signature_delta"), "signature": .string(signature)], &output)
        case .blockStop(let index):
            closeBlock(index, &output)
        case .messageDelta(let stopReason, let stopSequence, let update):
            ensureStarted(&output)
            for index in openBlocks.sorted() { closeBlock(index, &output) }
            usage.merge(update)
            frame(
                "message_delta",
                [
                    "type": .string("message_delta"),
                    "delta": .object([
                        "stop_reason": .string(AnthropicAdapter.stopReasonValue(stopReason ?? .endTurn)),
                        "stop_sequence": stopSequence.map(JSONNode.string) ?? .null,
                    ]),
                    "usage": AnthropicAdapter.usageNode(usage),
                ],
                &output
            )
        case .messageStop:
            ensureStarted(&output)
            for index in openBlocks.sorted() { closeBlock(index, &output) }
            frame("message_stop", ["type": .string("message_stop")], &output)
            isDone = true
        case .refusalDelta(let text):
            ensureStarted(&output)
            report.note("refusal shown as text")
            let index = refusalIndex ?? nextIndex
            if refusalIndex == nil {
                refusalIndex = index
                nextIndex = index + 1
                openBlocks.insert(index)
                frame(
                    "content_block_start",
                    [
                        "type": .string("content_block_start"), "index": .int(index),
                        "content_block": .object(["type": .string("text"), "text": .string("")]),
                    ],
                    &output
                )
            }
            delta(index, ["type": .string("text_delta"), "text": .string(text)], &output)
        case .error(let error):
            frame(
                "error",
                [
                    "type": .string("error"),
                    "error": .object(["type": .string(Self.errorType(error)), "message": .string(error.message)]),
                ],
                &output
            )
            isDone = true
        }
    }

    private static func errorType(_ error: ProviderErrorInfo) -> String {
        error.type.hasSuffix("_error") ? error.type : ErrorBody.anthropicType(status: error.status)
    }

    private mutating func ensureStarted(_ output: inout [UInt8]) {
        if !hasStarted { start(id: nil, to: &output) }
    }

    private mutating func start(id: String?, to output: inout [UInt8]) {
        hasStarted = true
        let message: JSONNode = .object([
            "id": .string(id.map(AnthropicAdapter.messageID) ?? "msg_\(context.requestID)"),
            "type": .string("message"),
            "role": .string("assistant"),
            "model": .string(context.echoedModel),
            "content": .array([]),
            "stop_reason": .null,
            "stop_sequence": .null,
            "usage": AnthropicAdapter.usageNode(
                ChatUsage(
                    inputTokens: usage.inputTokens,
                    outputTokens: 0,
                    cacheReadTokens: usage.cacheReadTokens,
                    cacheWriteTokens: usage.cacheWriteTokens
                )
            ),
        ])
        frame("message_start", ["type": .string("message_start"), "message": message], &output)
    }

    private mutating func closeBlock(_ index: Int, _ output: inout [UInt8]) {
        guard openBlocks.remove(index) != nil else { return }
        if unsignedThinking.remove(index) != nil {
            delta(index, ["type": .string("signature_delta"), "signature": .string("")], &output)
        }
        frame("content_block_stop", ["type": .string("content_block_stop"), "index": .int(index)], &output)
    }

    private func delta(_ index: Int, _ delta: KeyValuePairs<String, JSONNode?>, _ output: inout [UInt8]) {
        guard openBlocks.contains(index) else { return }
        frame(
            "content_block_delta",
            ["type": .string("content_block_delta"), "index": .int(index), "delta": .object(delta)],
            &output
        )
    }

    private func frame(_ name: String, _ members: KeyValuePairs<String, JSONNode?>, _ output: inout [UInt8]) {
        SSEFrame.append(event: name, json: .object(members), to: &output)
    }
}
