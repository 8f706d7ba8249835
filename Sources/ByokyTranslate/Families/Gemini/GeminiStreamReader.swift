internal import ByokyCore

/// Reads Gemini's stream: every frame is a whole `GenerateContentResponse`; text parts become text
/// (or thinking) deltas, each function call a complete tool block. The frame with `finishReason` ends it.
struct GeminiStreamReader: StreamEventReader {
    private let context: TranslationContext
    private(set) var isComplete = false
    private var hasStarted = false
    private var sawFinish = false
    private var blocks = BlockNumbering()
    private var textIndex: Int?
    private var thinkingIndex: Int?
    private var callCount = 0
    private var finishReason: String?
    private var refusal: String?
    private var usage = ChatUsage()

    init(context: TranslationContext) { self.context = context }

    mutating func read(_ event: ServerSentEvent, into events: inout [StreamEvent]) {
        guard !isComplete, let parsed = try? JSONNode.parse(event.data) else { return }
        let frame = GeminiFieldNames.normalized(parsed)
        if let error = frame["error"] {
            isComplete = true
            events.append(.error(GeminiAdapter.readError(frame, status: error["code"]?.intValue ?? 500)))
            return
        }
        if !hasStarted {
            hasStarted = true
            events.append(
                .messageStart(
                    id: frame["responseId"]?.stringValue,
                    model: frame["modelVersion"]?.stringValue,
                    usage: ChatUsage()
                )
            )
        }
        if frame["usageMetadata"] != nil { usage = GeminiAdapter.readUsage(frame["usageMetadata"]) }
        if let blocked = frame["promptFeedback"]?["blockReason"]?.stringValue {
            refusal = "Gemini blocked the prompt (\(blocked))."
            finishReason = "SAFETY"
            sawFinish = true
        }
        guard let candidate = frame["candidates"]?.arrayValue?.first else { return }
        for part in candidate["content"]?["parts"]?.arrayValue ?? [] {
            if let text = part["text"]?.stringValue {
                guard !text.isEmpty else { continue }
                if part["thought"]?.boolValue == true {
                    BlockNumbering.close(&textIndex, into: &events)
                    if thinkingIndex == nil { thinkingIndex = blocks.open(.thinking(origin: .summary), into: &events) }
                    events.append(.thinkingDelta(index: thinkingIndex ?? 0, text: text))
                } else {
                    BlockNumbering.close(&thinkingIndex, into: &events)
                    if textIndex == nil { textIndex = blocks.open(.text, into: &events) }
                    events.append(.textDelta(index: textIndex ?? 0, text: text))
                }
            } else if let call = part["functionCall"] {
                BlockNumbering.close(&textIndex, into: &events)
                BlockNumbering.close(&thinkingIndex, into: &events)
                let id = call["id"]?.stringValue ?? ToolCallID.minted(requestID: context.requestID, index: callCount)
                callCount += 1
                let index = blocks.open(
                    .toolUse(
                        id: id,
                        name: call["name"]?.stringValue ?? "",
                        thoughtSignature: part["thoughtSignature"]?.stringValue
                    ),
                    into: &events
                )
                events.append(
                    .toolArgumentsDelta(index: index, json: (call["args"] ?? .object(JSONObject())).jsonString)
                )
                events.append(.blockStop(index: index))
            }
        }
        if let reason = candidate["finishReason"]?.stringValue {
            finishReason = reason
            sawFinish = true
            if GeminiAdapter.stopReason(from: reason, hadToolCall: false) == .refusal {
                refusal = candidate["finishMessage"]?.stringValue ?? "Gemini stopped for safety (\(reason))."
            }
        }
    }

    mutating func finish(into events: inout [StreamEvent]) {
        guard !isComplete else { return }
        isComplete = true
        guard sawFinish else {
            events.append(Self.truncation(.gemini))
            return
        }
        BlockNumbering.close(&textIndex, into: &events)
        BlockNumbering.close(&thinkingIndex, into: &events)
        if let refusal { events.append(.refusalDelta(text: refusal)) }
        events.append(
            .messageDelta(
                stopReason: GeminiAdapter.stopReason(from: finishReason, hadToolCall: callCount > 0),
                stopSequence: nil,
                usage: usage
            )
        )
        events.append(.messageStop)
    }
}
