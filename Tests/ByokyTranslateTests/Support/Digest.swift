import ByokyCore

@testable import ByokyTranslate

/// The meaning of a conversation, with the spelling differences between families taken out:
/// texts of a turn joined, tool-call ids replaced by their position, tool results unwrapped.
struct ConversationDigest: Equatable, CustomStringConvertible {
    var system: String
    var turns: [String]

    init(_ request: ChatRequest) {
        system = request.system.map(\.text).joined(separator: "\n\n")
        var callOrder: [String: Int] = [:]
        turns = request.messages.map { message in
            var parts: [String] = []
            var texts: [String] = []
            for block in message.content {
                switch block {
                case .text(let text): if !text.isEmpty { texts.append(text) }
                case .image(let source): parts.append("image:\(source.urlString)")
                case .document(let source, _): parts.append("document:\(source.urlString)")
                case .toolUse(let call):
                    let position = callOrder[call.id] ?? callOrder.count
                    callOrder[call.id] = position
                    parts.append("call#\(position):\(call.name)(\(Self.canonical(call.arguments)))")
                case .toolResult(let result):
                    parts.append(
                        "result#\(callOrder[result.toolUseID].map(String.init) ?? "?"):\(Self.unwrap(result.text))"
                    )
                case .thinking(let thinking): parts.append("thinking:\(thinking.text)")
                case .redactedThinking: parts.append("redacted")
                }
            }
            return "\(message.role.rawValue)[\(texts.joined(separator: "\n"))] " + parts.sorted().joined(separator: " ")
        }
    }

    var description: String { "system: \(system)\n" + turns.joined(separator: "\n") }

    static func canonical(_ arguments: ToolArguments) -> String {
        switch arguments {
        case .json(let node): canonical(node)
        case .raw(let text): "raw:\(text)"
        }
    }

    static func canonical(_ node: JSONNode) -> String {
        switch node {
        case .object(let object):
            "{"
                + object.members.sorted { $0.key < $1.key }.map { "\($0.key):\(canonical($0.value))" }.joined(
                    separator: ","
                ) + "}"
        case .array(let items): "[" + items.map(canonical).joined(separator: ",") + "]"
        default: node.jsonString
        }
    }

    /// Gemini wraps plain results as `{"result": …}`; the meaning is the inner text.
    static func unwrap(_ text: String) -> String {
        if let node = try? JSONNode.parse(text), let object = node.objectValue, object.count == 1,
            let inner = object["result"]?.stringValue
        {
            return inner
        }
        return text
    }
}

/// What an answer says, with family spelling taken out.
struct AnswerDigest: Equatable {
    var text: String
    var calls: [String]
    var stopReason: StopReason
    var inputTokens: Int
    var outputTokens: Int

    init(_ response: ChatResponse) {
        text = response.content.compactMap(\.text).joined()
        calls = response.content.compactMap { block in
            guard case .toolUse(let call) = block else { return nil }
            return "\(call.name)(\(ConversationDigest.canonical(call.arguments)))"
        }
        stopReason = response.stopReason
        inputTokens = response.usage.inputTokens
        outputTokens = response.usage.outputTokens
    }
}

/// Builds a whole answer from family-neutral stream events, the way an SDK accumulates a stream.
struct StreamAccumulator {
    private(set) var response = ChatResponse()
    private(set) var errors: [ProviderErrorInfo] = []
    private(set) var sawStop = false
    private var texts: [Int: String] = [:]
    private var calls: [Int: (id: String, name: String, json: String)] = [:]
    private var thinking: [Int: Thinking] = [:]
    private var order: [Int] = []

    mutating func add(_ event: StreamEvent) {
        switch event {
        case .messageStart(let id, let model, let usage):
            response.id = id
            response.model = model
            response.usage.merge(usage)
        case .blockStart(let index, let block):
            order.append(index)
            switch block {
            case .text: texts[index] = ""
            case .toolUse(let id, let name, _): calls[index] = (id, name, "")
            case .thinking(let origin): thinking[index] = Thinking(text: "", origin: origin)
            case .redactedThinking: break
            }
        case .textDelta(let index, let text): texts[index, default: ""] += text
        case .toolArgumentsDelta(let index, let json): calls[index]?.json += json
        case .messageDelta(let reason, _, let usage):
            if let reason { response.stopReason = reason }
            response.usage.merge(usage)
        case .messageStop: sawStop = true
        case .error(let error): errors.append(error)
        case .refusalDelta(let text): response.refusal = (response.refusal ?? "") + text
        case .thinkingDelta(let index, let text): thinking[index]?.text += text
        case .thinkingSignature, .blockStop: break
        }
    }

    /// The accumulated answer with blocks in order.
    var answer: ChatResponse {
        var result = response
        result.content = order.compactMap { index in
            if let text = texts[index] { return .text(text) }
            if let thinking = thinking[index] { return .thinking(thinking) }
            if let call = calls[index] {
                return .toolUse(ToolUse(id: call.id, name: call.name, arguments: .parse(call.json)))
            }
            return nil
        }
        return result
    }

    /// Reads a whole stream in `family`'s format.
    static func read(_ bytes: [UInt8], family: APIFamily, context: TranslationContext) throws -> StreamAccumulator {
        var decoder = SSEDecoder()
        var reader = family.adapter.makeStreamReader(context: context)
        var events: [StreamEvent] = []
        for event in try decoder.feed(bytes) { reader.read(event, into: &events) }
        reader.finish(into: &events)
        var accumulator = StreamAccumulator()
        for event in events { accumulator.add(event) }
        return accumulator
    }
}
