internal import ByokyCore

/// Reads Chat Completions chunks and builds the block structure they leave implicit: text, reasoning
/// and each tool call (by its `index`) become blocks. Tool-call fragments that arrive before the
/// call's name are kept, never dropped; a call that never gets an id is given one.
struct OpenAIStreamReader: StreamEventReader {
    private struct ToolState {
        var id: String?
        var name: String?
        var pendingArguments = ""
        var blockIndex: Int?
    }

    private let context: TranslationContext
    private(set) var isComplete = false
    private var hasStarted = false
    private var blocks = BlockNumbering()
    private var textIndex: Int?
    private var thinkingIndex: Int?
    private var tools: [Int: ToolState] = [:]
    private var toolOrder: [Int] = []
    private var finishReason: StopReason?
    private var usage = ChatUsage()

    init(context: TranslationContext) { self.context = context }

    mutating func read(_ event: ServerSentEvent, into events: inout [StreamEvent]) {
        guard !isComplete else { return }
        if event.isDoneMarker {
            end(into: &events)
            return
        }
        guard let chunk = try? JSONNode.parse(event.data) else { return }
        if let error = chunk["error"], !error.isNull {
            isComplete = true
            events.append(.error(OpenAIAdapter.readError(chunk, status: error["code"]?.intValue ?? 500)))
            return
        }
        if !hasStarted {
            hasStarted = true
            events.append(
                .messageStart(id: chunk["id"]?.stringValue, model: chunk["model"]?.stringValue, usage: ChatUsage())
            )
        }
        if let reported = chunk["usage"], reported.objectValue != nil { usage = OpenAIAdapter.readUsage(reported) }
        // Groq reports stream usage under `x_groq`.
        if let reported = chunk["x_groq"]?["usage"], reported.objectValue != nil {
            usage = OpenAIAdapter.readUsage(reported)
        }
        guard let choice = chunk["choices"]?.arrayValue?.first else { return }
        if let delta = choice["delta"] {
            for key in ["reasoning_content", "reasoning"] {
                if let text = delta[key]?.stringValue, !text.isEmpty {
                    if thinkingIndex == nil {
                        BlockNumbering.close(&textIndex, into: &events)
                        thinkingIndex = blocks.open(.thinking(origin: .summary), into: &events)
                    }
                    events.append(.thinkingDelta(index: thinkingIndex ?? 0, text: text))
                }
            }
            if let text = delta["content"]?.stringValue, !text.isEmpty {
                BlockNumbering.close(&thinkingIndex, into: &events)
                if textIndex == nil { textIndex = blocks.open(.text, into: &events) }
                events.append(.textDelta(index: textIndex ?? 0, text: text))
            }
            if let refusal = delta["refusal"]?.stringValue, !refusal.isEmpty {
                events.append(.refusalDelta(text: refusal))
            }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                readToolCall(call, into: &events)
            }
        }
        if let reason = choice["finish_reason"]?.stringValue {
            finishReason = OpenAIAdapter.stopReason(from: reason)
        }
    }

    private mutating func readToolCall(_ call: JSONNode, into events: inout [StreamEvent]) {
        let key = call["index"]?.intValue ?? toolOrder.last ?? 0
        var state = tools[key] ?? ToolState()
        if tools[key] == nil { toolOrder.append(key) }
        if state.id == nil, let id = call["id"]?.stringValue, !id.isEmpty { state.id = id }
        if state.name == nil, let name = call["function"]?["name"]?.stringValue, !name.isEmpty { state.name = name }
        let fragment = call["function"]?["arguments"]?.stringValue ?? ""
        if let index = state.blockIndex {
            if !fragment.isEmpty { events.append(.toolArgumentsDelta(index: index, json: fragment)) }
        } else {
            state.pendingArguments += fragment
            if let name = state.name {
                BlockNumbering.close(&textIndex, into: &events)
                BlockNumbering.close(&thinkingIndex, into: &events)
                let id = state.id ?? ToolCallID.minted(requestID: context.requestID, index: toolOrder.count - 1)
                let index = blocks.open(.toolUse(id: id, name: name, thoughtSignature: nil), into: &events)
                state.blockIndex = index
                if !state.pendingArguments.isEmpty {
                    events.append(.toolArgumentsDelta(index: index, json: state.pendingArguments))
                    state.pendingArguments = ""
                }
            }
        }
        tools[key] = state
    }

    private mutating func end(into events: inout [StreamEvent]) {
        isComplete = true
        guard hasStarted else {
            events.append(Self.truncation(.openai))
            return
        }
        BlockNumbering.close(&thinkingIndex, into: &events)
        BlockNumbering.close(&textIndex, into: &events)
        for key in toolOrder {
            guard var state = tools[key] else { continue }
            if state.blockIndex == nil {
                // A call that never named its function still reaches the app, under an empty name.
                let id = state.id ?? ToolCallID.minted(requestID: context.requestID, index: key)
                let index = blocks.open(.toolUse(id: id, name: state.name ?? "", thoughtSignature: nil), into: &events)
                if !state.pendingArguments.isEmpty {
                    events.append(.toolArgumentsDelta(index: index, json: state.pendingArguments))
                }
                state.blockIndex = index
            }
            if let index = state.blockIndex { events.append(.blockStop(index: index)) }
        }
        events.append(.messageDelta(stopReason: finishReason ?? .endTurn, stopSequence: nil, usage: usage))
        events.append(.messageStop)
    }

    mutating func finish(into events: inout [StreamEvent]) {
        guard !isComplete else { return }
        if finishReason != nil {
            // Some OpenAI-compatible servers end without `[DONE]` after the finishing chunk.
            end(into: &events)
        } else {
            isComplete = true
            events.append(Self.truncation(.openai))
        }
    }
}
