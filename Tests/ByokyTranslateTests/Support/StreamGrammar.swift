import ByokyCore

/// Checks a translated stream against its family's event grammar and collects its tool calls,
/// the way a strict SDK would see them. Any violation is a string in `violations`.
struct StreamGrammar {
    struct Call: Equatable, CustomStringConvertible {
        var id: String
        var name: String
        var arguments: String
        var description: String { "\(name)#\(id)(\(arguments))" }
    }

    private(set) var violations: [String] = []
    private(set) var calls: [Call] = []

    /// Anthropic: `message_start` first; blocks one at a time, numbered 0, 1, 2… as they start,
    /// deltas only for the open block; `message_delta` after every block closed; `message_stop` last.
    static func anthropic(_ bytes: [UInt8]) throws -> StreamGrammar {
        var grammar = StreamGrammar()
        var decoder = SSEDecoder()
        var open: Int?
        var nextIndex = 0
        var started = false
        var stopped = false
        var blockKind: [Int: String] = [:]
        for event in try decoder.feed(bytes) {
            let data = try JSONNode.parse(event.data)
            let type = data["type"]?.stringValue ?? ""
            if event.type != type { grammar.violations.append("event name \(event.type ?? "-") for \(type)") }
            if stopped { grammar.violations.append("\(type) after message_stop") }
            switch type {
            case "message_start":
                if started { grammar.violations.append("second message_start") }
                started = true
            case "content_block_start":
                let index = data["index"]?.intValue ?? -1
                if let open { grammar.violations.append("block \(index) started while \(open) is open") }
                if index != nextIndex { grammar.violations.append("block \(index) started, expected \(nextIndex)") }
                open = index
                nextIndex = index + 1
                let block = data["content_block"]
                blockKind[index] = block?["type"]?.stringValue
                if block?["type"]?.stringValue == "tool_use" {
                    grammar.calls.append(
                        Call(
                            id: block?["id"]?.stringValue ?? "",
                            name: block?["name"]?.stringValue ?? "",
                            arguments: ""
                        )
                    )
                }
            case "content_block_delta":
                let index = data["index"]?.intValue ?? -1
                if index != open { grammar.violations.append("delta for \(index) while \(open ?? -1) is open") }
                if let json = data["delta"]?["partial_json"]?.stringValue, blockKind[index] == "tool_use" {
                    grammar.calls[grammar.calls.count - 1].arguments += json
                }
            case "content_block_stop":
                let index = data["index"]?.intValue ?? -1
                if index != open { grammar.violations.append("stop for \(index) while \(open ?? -1) is open") }
                open = nil
            case "message_delta":
                if let open { grammar.violations.append("message_delta while block \(open) is open") }
            case "message_stop":
                stopped = true
            case "ping":
                break
            default:
                grammar.violations.append("unexpected event \(type)")
            }
        }
        if !started || !stopped { grammar.violations.append("stream not started and stopped") }
        return grammar
    }

    /// Cohere v2: `message-start` first; each tool call `tool-call-start` → `tool-call-delta`s →
    /// `tool-call-end`, one at a time, numbered 0, 1, 2…; `message-end` last.
    static func cohere(_ bytes: [UInt8]) throws -> StreamGrammar {
        var grammar = StreamGrammar()
        var decoder = SSEDecoder()
        var openCall: Int?
        var nextCall = 0
        var started = false
        var ended = false
        for event in try decoder.feed(bytes) {
            let data = try JSONNode.parse(event.data)
            let type = data["type"]?.stringValue ?? ""
            if ended { grammar.violations.append("\(type) after message-end") }
            switch type {
            case "message-start":
                started = true
            case "tool-call-start":
                let index = data["index"]?.intValue ?? -1
                if let openCall { grammar.violations.append("call \(index) started while \(openCall) is open") }
                if index != nextCall { grammar.violations.append("call \(index) started, expected \(nextCall)") }
                openCall = index
                nextCall = index + 1
                let call = data["delta"]?["message"]?["tool_calls"]
                grammar.calls.append(
                    Call(
                        id: call?["id"]?.stringValue ?? "",
                        name: call?["function"]?["name"]?.stringValue ?? "",
                        arguments: call?["function"]?["arguments"]?.stringValue ?? ""
                    )
                )
            case "tool-call-delta":
                let index = data["index"]?.intValue ?? -1
                if index != openCall { grammar.violations.append("delta for call \(index) while \(openCall ?? -1)") }
                let fragment = data["delta"]?["message"]?["tool_calls"]?["function"]?["arguments"]?.stringValue
                if !grammar.calls.isEmpty { grammar.calls[grammar.calls.count - 1].arguments += fragment ?? "" }
            case "tool-call-end":
                let index = data["index"]?.intValue ?? -1
                if index != openCall { grammar.violations.append("end for call \(index) while \(openCall ?? -1)") }
                openCall = nil
            case "message-end":
                if let openCall { grammar.violations.append("message-end while call \(openCall) is open") }
                ended = true
            case "content-start", "content-delta", "content-end", "tool-plan-delta":
                if let openCall { grammar.violations.append("\(type) while call \(openCall) is open") }
            default:
                grammar.violations.append("unexpected event \(type)")
            }
        }
        if !started || !ended { grammar.violations.append("stream not started and ended") }
        return grammar
    }
}
