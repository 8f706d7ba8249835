internal import ByokyCore

/// Writes Cohere v2's typed stream events.
struct CohereStreamWriter: StreamEventWriter {
    private enum Kind {
        case content, tool, plan
    }

    private let context: TranslationContext
    private(set) var report = TranslationReport()
    private var hasStarted = false
    private var isDone = false
    private var id: String
    /// Cohere content and tool calls are numbered separately.
    private var kinds: [Int: (Kind, Int)] = [:]
    private var contentCount = 0
    private var toolCount = 0
    private var usage = ChatUsage()
    private var stopReason: StopReason = .endTurn

    init(context: TranslationContext) {
        self.context = context
        self.id = context.requestID
    }

    mutating func write(_ event: StreamEvent, to output: inout [UInt8]) {
        guard !isDone else { return }
        switch event {
        case .messageStart(let upstreamID, _, let startUsage):
            guard !hasStarted else { return }
            if let upstreamID, !upstreamID.isEmpty { id = upstreamID }
            usage = startUsage
            ensureStarted(&output)
        case .blockStart(let index, let block):
            ensureStarted(&output)
            switch block {
            case .text:
                kinds[index] = (.content, contentCount)
                emit(
                    "content-start",
                    index: contentCount,
                    delta: ["message": .object(["content": .object(["type": .string("text"), "text": .string("")])])],
                    &output
                )
                contentCount += 1
            case .thinking(.toolPlan):
                kinds[index] = (.plan, 0)
            case .thinking, .redactedThinking:
                kinds[index] = (.content, contentCount)
                emit(
                    "content-start",
                    index: contentCount,
                    delta: [
                        "message": .object(["content": .object(["type": .string("thinking"), "thinking": .string("")])])
                    ],
                    &output
                )
                contentCount += 1
            case .toolUse(let callID, let name, _):
                kinds[index] = (.tool, toolCount)
                let call: JSONNode = .object([
                    "id": .string(callID), "type": .string("function"),
                    "function": .object(["name": .string(name), "arguments": .string("")]),
                ])
                emit("tool-call-start", index: toolCount, delta: ["message": .object(["tool_calls": call])], &output)
                toolCount += 1
            }
        case .textDelta(let index, let text):
            guard case (.content, let position)? = kinds[index] else { return }
            emit(
                "content-delta",
                index: position,
                delta: ["message": .object(["content": .object(["text": .string(text)])])],
                &output
            )
        case .thinkingDelta(let index, let text):
            switch kinds[index] {
            case (.plan, _)?:
                emit("tool-plan-delta", index: nil, delta: ["message": .object(["tool_plan": .string(text)])], &output)
            case (.content, let position)?:
                emit(
                    "content-delta",
                    index: position,
                    delta: ["message": .object(["content": .object(["thinking": .string(text)])])],
                    &output
                )
            default: return
            }
        case .toolArgumentsDelta(let index, let json):
            guard case (.tool, let position)? = kinds[index] else { return }
            emit(
                "tool-call-delta",
                index: position,
                delta: [
                    "message": .object(["tool_calls": .object(["function": .object(["arguments": .string(json)])])])
                ],
                &output
            )
        case .blockStop(let index):
            switch kinds.removeValue(forKey: index) {
            case (.content, let position)?: emit("content-end", index: position, delta: nil, &output)
            case (.tool, let position)?: emit("tool-call-end", index: position, delta: nil, &output)
            default: return
            }
        case .refusalDelta(let text):
            ensureStarted(&output)
            stopReason = .refusal
            emit(
                "content-start",
                index: contentCount,
                delta: ["message": .object(["content": .object(["type": .string("text"), "text": .string("")])])],
                &output
            )
            emit(
                "content-delta",
                index: contentCount,
                delta: ["message": .object(["content": .object(["text": .string(text)])])],
                &output
            )
            emit("content-end", index: contentCount, delta: nil, &output)
            contentCount += 1
        case .thinkingSignature:
            return
        case .messageDelta(let reason, _, let update):
            if let reason, stopReason != .refusal { stopReason = reason }
            usage.merge(update)
        case .messageStop:
            ensureStarted(&output)
            emit(
                "message-end",
                index: nil,
                delta: [
                    "finish_reason": .string(CohereAdapter.finishReasonValue(stopReason)),
                    "usage": CohereAdapter.usageNode(usage),
                ],
                &output
            )
            isDone = true
        case .error(let error):
            ensureStarted(&output)
            emit(
                "message-end",
                index: nil,
                delta: ["finish_reason": .string("ERROR"), "error": .string(error.message)],
                &output
            )
            isDone = true
        }
    }

    private mutating func ensureStarted(_ output: inout [UInt8]) {
        guard !hasStarted else { return }
        hasStarted = true
        let message: JSONNode = .object(["role": .string("assistant"), "content": .array([]), "tool_calls": .array([])])
        SSEFrame.append(
            event: "message-start",
            json: .object(["id": .string(id), "type": .string("message-start"), "delta": .object(["message": message])]
            ),
            to: &output
        )
    }

    private func emit(_ type: String, index: Int?, delta: KeyValuePairs<String, JSONNode?>?, _ output: inout [UInt8]) {
        SSEFrame.append(
            event: type,
            json: .object([
                "type": .string(type), "index": index.map(JSONNode.int), "delta": delta.map { JSONNode.object($0) },
            ]),
            to: &output
        )
    }
}
