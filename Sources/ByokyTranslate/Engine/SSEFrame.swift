import ByokyCore

/// Appends server-sent-event frames with a JSON payload.
enum SSEFrame {
    /// `event: <name>\ndata: <json>\n\n` (or without the event line when `name` is nil).
    static func append(event name: String?, json: JSONNode, to output: inout [UInt8]) {
        if let name {
            output.append(contentsOf: "event: ".utf8)
            output.append(contentsOf: name.utf8)
            output.append(0x0A)
        }
        output.append(contentsOf: "data: ".utf8)
        json.write(to: &output)
        output.append(contentsOf: "\n\n".utf8)
    }

    /// `data: <text>\n\n`.
    static func append(data text: String, to output: inout [UInt8]) {
        output.append(contentsOf: "data: ".utf8)
        output.append(contentsOf: text.utf8)
        output.append(contentsOf: "\n\n".utf8)
    }
}
