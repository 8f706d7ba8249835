internal import ByokyCore

/// Reads Cohere v2's typed stream events (`message-start` … `message-end`).
struct CohereStreamReader: StreamEventReader {
    private let context: TranslationContext
    private(set) var isComplete = false
    private var hasStarted = false
    private var blocks = BlockNumbering()
    /// Our block index for each upstream content or tool-call index.
    private var contentIndices: [Int: Int] = [:]
    private var toolIndices: [Int: Int] = [:]
    private var planIndex: Int?

    init(context: TranslationContext) { self.context = context }

    mutating func read(_ event: ServerSentEvent, into events: inout [StreamEvent]) {
        guard !isComplete, let json = try? JSONNode.parse(event.data) else { return }
        let upstreamIndex = json["index"]?.intValue ?? 0
        let message = json["delta"]?["message"]
        switch json["type"]?.stringValue {
        case "message-start":
            guard !hasStarted else { return }
            hasStarted = true
            events.append(.messageStart(id: json["id"]?.stringValue, model: nil, usage: ChatUsage()))
        case "content-start":
            BlockNumbering.close(&planIndex, into: &events)
            let isThinking = message?["content"]?["type"]?.stringValue == "thinking"
            contentIndices[upstreamIndex] = blocks.open(isThinking ? .thinking(origin: .summary) : .text, into: &events)
        case "content-delta":
            guard let index = contentIndices[upstreamIndex] else { return }
            let content = message?["content"]
            if let text = content?["text"]?.stringValue {
                events.append(.textDelta(index: index, text: text))
            } else if let text = content?["thinking"]?.stringValue {
                events.append(.thinkingDelta(index: index, text: text))
            }
        case "content-end":
            if let index = contentIndices.removeValue(forKey: upstreamIndex) { events.append(.blockStop(index: index)) }
        case "tool-plan-delta":
            guard let text = message?["tool_plan"]?.stringValue else { return }
            if planIndex == nil { planIndex = blocks.open(.thinking(origin: .toolPlan), into: &events) }
            events.append(.thinkingDelta(index: planIndex ?? 0, text: text))
        case "tool-call-start":
            BlockNumbering.close(&planIndex, into: &events)
            let call = message?["tool_calls"]
            let id = call?["id"]?.stringValue ?? ToolCallID.minted(requestID: context.requestID, index: upstreamIndex)
            let index = blocks.open(
                .toolUse(id: id, name: call?["function"]?["name"]?.stringValue ?? "", thoughtSignature: nil),
                into: &events
            )
            toolIndices[upstreamIndex] = index
            if let arguments = call?["function"]?["arguments"]?.stringValue, !arguments.isEmpty {
                events.append(.toolArgumentsDelta(index: index, json: arguments))
            }
        case "tool-call-delta":
            guard let index = toolIndices[upstreamIndex],
                let fragment = message?["tool_calls"]?["function"]?["arguments"]?.stringValue
            else { return }
            events.append(.toolArgumentsDelta(index: index, json: fragment))
        case "tool-call-end":
            if let index = toolIndices.removeValue(forKey: upstreamIndex) { events.append(.blockStop(index: index)) }
        case "message-end":
            isComplete = true
            BlockNumbering.close(&planIndex, into: &events)
            for index in (contentIndices.values.sorted() + toolIndices.values.sorted()) {
                events.append(.blockStop(index: index))
            }
            let delta = json["delta"]
            if let error = delta?["error"]?.stringValue {
                events.append(.error(ProviderErrorInfo(type: "api_error", message: error, status: 500)))
                return
            }
            events.append(
                .messageDelta(
                    stopReason: CohereAdapter.stopReason(from: delta?["finish_reason"]?.stringValue),
                    stopSequence: nil,
                    usage: CohereAdapter.readUsage(delta?["usage"])
                )
            )
            events.append(.messageStop)
        default:
            return
        }
    }

    mutating func finish(into events: inout [StreamEvent]) {
        guard !isComplete else { return }
        isComplete = true
        events.append(Self.truncation(.cohere))
    }
}
