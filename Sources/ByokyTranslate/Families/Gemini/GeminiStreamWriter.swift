internal import ByokyCore

/// Writes Gemini's stream: one `GenerateContentResponse` per frame; function calls are sent whole
/// when their arguments are complete; the last frame carries `finishReason` and usage.
struct GeminiStreamWriter: StreamEventWriter {
    private struct PendingCall {
        var id: String
        var name: String
        var signature: String?
        var arguments = ""
    }

    private let context: TranslationContext
    private(set) var report = TranslationReport()
    private var responseID: String
    private var isDone = false
    private var calls: [Int: PendingCall] = [:]
    private var usage = ChatUsage()
    private var stopReason: StopReason = .endTurn
    private var refusal: String?

    init(context: TranslationContext) {
        self.context = context
        self.responseID = context.requestID
    }

    mutating func write(_ event: StreamEvent, to output: inout [UInt8]) {
        guard !isDone else { return }
        switch event {
        case .messageStart(let id, _, let startUsage):
            if let id, !id.isEmpty { responseID = id }
            usage = startUsage
        case .blockStart(let index, .toolUse(let id, let name, let signature)):
            calls[index] = PendingCall(id: id, name: name, signature: signature)
        case .blockStart:
            return
        case .textDelta(_, let text):
            frame(parts: [.object(["text": .string(text)])], &output)
        case .thinkingDelta(_, let text):
            frame(parts: [.object(["text": .string(text), "thought": .bool(true)])], &output)
        case .toolArgumentsDelta(let index, let json):
            calls[index]?.arguments += json
        case .blockStop(let index):
            guard let call = calls.removeValue(forKey: index) else { return }
            let arguments = ToolArguments.parse(call.arguments)
            let part: JSONNode = .object([
                "functionCall": .object([
                    "id": .string(call.id), "name": .string(call.name),
                    "args": AnthropicAdapter.argumentsObject(arguments, report: &report),
                ]),
                "thoughtSignature": call.signature.map(JSONNode.string),
            ])
            frame(parts: [part], &output)
        case .refusalDelta(let text):
            refusal = (refusal ?? "") + text
        case .thinkingSignature:
            return
        case .messageDelta(let reason, _, let update):
            if let reason { stopReason = reason }
            usage.merge(update)
        case .messageStop:
            let candidate: JSONNode = .object([
                "content": .object([
                    "role": .string("model"), "parts": .array([.object(["text": .string(refusal ?? "")])]),
                ]),
                "finishReason": .string(GeminiAdapter.finishReasonValue(refusal == nil ? stopReason : .refusal)),
                "finishMessage": refusal.map(JSONNode.string),
                "index": .int(0),
            ])
            SSEFrame.append(event: nil, json: response(candidate: candidate, withUsage: true), to: &output)
            isDone = true
        case .error(let error):
            SSEFrame.append(event: nil, json: GeminiAdapter.writeError(error), to: &output)
            isDone = true
        }
    }

    private func frame(parts: [JSONNode], _ output: inout [UInt8]) {
        let candidate: JSONNode = .object([
            "content": .object(["role": .string("model"), "parts": .array(parts)]), "index": .int(0),
        ])
        SSEFrame.append(event: nil, json: response(candidate: candidate, withUsage: false), to: &output)
    }

    private func response(candidate: JSONNode, withUsage: Bool) -> JSONNode {
        .object([
            "candidates": .array([candidate]),
            "usageMetadata": withUsage ? GeminiAdapter.usageNode(usage) : nil,
            "modelVersion": .string(context.echoedModel),
            "responseId": .string(responseID),
        ])
    }
}
