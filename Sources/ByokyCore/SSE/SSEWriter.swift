/// Writes `text/event-stream` bytes.
///
/// Data containing line breaks (LF, CRLF or CR) becomes several `data:` lines, so the reader gets
/// the same text back; line breaks in `event:` or `id:` values would end the field early and are
/// replaced with spaces.
public struct SSEWriter: Sendable {
    private var bytes: [UInt8] = []

    public init() {}

    /// Appends one event, ended by a blank line.
    public mutating func writeEvent(
        type: String? = nil,
        data: some Collection<UInt8>,
        id: String? = nil,
        retry: Int? = nil
    ) {
        if let type {
            bytes.append(contentsOf: "event: ".utf8)
            appendSingleLine(type)
        }
        if let id {
            bytes.append(contentsOf: "id: ".utf8)
            appendSingleLine(id)
        }
        if let retry {
            bytes.append(contentsOf: "retry: \(retry)\n".utf8)
        }
        bytes.append(contentsOf: "data: ".utf8)
        var previousWasCR = false
        for byte in data {
            switch byte {
            case UInt8(ascii: "\r"):
                bytes.append(contentsOf: "\ndata: ".utf8)
                previousWasCR = true
                continue
            case UInt8(ascii: "\n"):
                if !previousWasCR { bytes.append(contentsOf: "\ndata: ".utf8) }
            default:
                bytes.append(byte)
            }
            previousWasCR = false
        }
        bytes.append(contentsOf: "\n\n".utf8)
    }

    /// Appends one event whose data is `text`.
    public mutating func writeEvent(type: String? = nil, data text: String, id: String? = nil, retry: Int? = nil) {
        writeEvent(type: type, data: Array(text.utf8), id: id, retry: retry)
    }

    /// Appends `event`.
    public mutating func write(_ event: ServerSentEvent) {
        writeEvent(type: event.type, data: event.data, id: event.id, retry: event.retry)
    }

    /// Appends a comment line (`: text`), e.g. a keep-alive that clients ignore.
    public mutating func writeComment(_ text: String = "") {
        bytes.append(UInt8(ascii: ":"))
        if !text.isEmpty {
            bytes.append(UInt8(ascii: " "))
            appendSingleLine(text)
        } else {
            bytes.append(UInt8(ascii: "\n"))
        }
    }

    /// Returns the bytes written so far and empties the writer.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    private mutating func appendSingleLine(_ text: String) {
        for byte in text.utf8 {
            bytes.append(byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") ? UInt8(ascii: " ") : byte)
        }
        bytes.append(UInt8(ascii: "\n"))
    }
}
