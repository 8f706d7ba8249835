internal import ByokyCore

/// Writes Chat Completions chunks: a role chunk, content and tool-call deltas, a finishing chunk,
/// the usage chunk when the app asked for it, then `[DONE]`.
struct OpenAIStreamWriter: StreamEventWriter {
    private let context: TranslationContext
    private(set) var report = TranslationReport()
    private var id: String
    private var hasStarted = false
    private var isDone = false
    private var toolIndices: [Int: Int] = [:]
    private var usage = ChatUsage()
    private var finishReason: String?
    /// The bytes before and after a chunk's `delta` object, fixed once the stream has started.
    private var deltaPrefix: [UInt8] = []
    private var deltaSuffix: [UInt8] = []

    init(context: TranslationContext) {
        self.context = context
        self.id = OpenAIAdapter.completionID(nil, context: context)
    }

    mutating func write(_ event: StreamEvent, to output: inout [UInt8]) {
        guard !isDone else { return }
        switch event {
        case .messageStart(let upstreamID, _, let startUsage):
            guard !hasStarted else { return }
            if let upstreamID, !upstreamID.isEmpty { id = OpenAIAdapter.completionID(upstreamID, context: context) }
            usage = startUsage
            ensureStarted(&output)
        case .blockStart(let index, .toolUse(let callID, let name, _)):
            ensureStarted(&output)
            let toolIndex = toolIndices.count
            toolIndices[index] = toolIndex
            chunk(
                delta: .object([
                    "tool_calls": .array([
                        .object([
                            "index": .int(toolIndex), "id": .string(callID), "type": .string("function"),
                            "function": .object(["name": .string(name), "arguments": .string("")]),
                        ])
                    ])
                ]),
                &output
            )
        case .blockStart:
            ensureStarted(&output)
        case .textDelta(_, let text):
            ensureStarted(&output)
            // The hot path: written straight to bytes.
            output.append(contentsOf: deltaPrefix)
            output.append(contentsOf: #"{"content":"#.utf8)
            JSONNode.writeString(text, to: &output)
            output.append(UInt8(ascii: "}"))
            output.append(contentsOf: deltaSuffix)
        case .toolArgumentsDelta(let index, let json):
            guard let toolIndex = toolIndices[index] else { return }
            chunk(
                delta: .object([
                    "tool_calls": .array([
                        .object(["index": .int(toolIndex), "function": .object(["arguments": .string(json)])])
                    ])
                ]),
                &output
            )
        case .thinkingDelta(_, let text):
            ensureStarted(&output)
            report.note("thinking sent as reasoning_content")
            chunk(delta: .object(["reasoning_content": .string(text)]), &output)
        case .refusalDelta(let text):
            ensureStarted(&output)
            chunk(delta: .object(["refusal": .string(text)]), &output)
        case .thinkingSignature, .blockStop:
            return
        case .messageDelta(let stopReason, _, let update):
            ensureStarted(&output)
            usage.merge(update)
            finishReason = OpenAIAdapter.finishReasonValue(stopReason ?? .endTurn)
        case .messageStop:
            ensureStarted(&output)
            chunk(delta: .object(JSONObject()), finishReason: .string(finishReason ?? "stop"), &output)
            if context.includeStreamUsage {
                SSEFrame.append(
                    event: nil,
                    json: chunkNode(choices: .array([]), usage: OpenAIAdapter.usageNode(usage)),
                    to: &output
                )
            }
            SSEFrame.append(data: "[DONE]", to: &output)
            isDone = true
        case .error(let error):
            SSEFrame.append(event: nil, json: OpenAIAdapter.writeError(error), to: &output)
            isDone = true
        }
    }

    private mutating func ensureStarted(_ output: inout [UInt8]) {
        guard !hasStarted else { return }
        hasStarted = true
        // Split a chunk with a placeholder delta into the bytes around it.
        var sample: [UInt8] = Array("data: ".utf8)
        let placeholder: JSONNode = .string("\u{1}")
        let choice: JSONNode = .object([
            "index": .int(0), "delta": placeholder, "logprobs": .null, "finish_reason": .null,
        ])
        chunkNode(choices: .array([choice]), usage: nil).write(to: &sample)
        sample.append(contentsOf: "\n\n".utf8)
        let marker = Array(#""\u0001""#.utf8)
        if let start = (0...(sample.count - marker.count)).first(where: {
            sample[$0..<($0 + marker.count)].elementsEqual(marker)
        }) {
            deltaPrefix = Array(sample[..<start])
            deltaSuffix = Array(sample[(start + marker.count)...])
        }
        chunk(delta: .object(["role": .string("assistant"), "content": .string("")]), &output)
    }

    private func chunk(delta: JSONNode, finishReason: JSONNode = .null, _ output: inout [UInt8]) {
        let choice: JSONNode = .object([
            "index": .int(0), "delta": delta, "logprobs": .null, "finish_reason": finishReason,
        ])
        SSEFrame.append(event: nil, json: chunkNode(choices: .array([choice]), usage: nil), to: &output)
    }

    private func chunkNode(choices: JSONNode, usage: JSONNode?) -> JSONNode {
        .object([
            "id": .string(id),
            "object": .string("chat.completion.chunk"),
            "created": .int(context.createdAt),
            "model": .string(context.echoedModel),
            "choices": choices,
            "usage": usage ?? (context.includeStreamUsage ? .null : nil),
        ])
    }
}
