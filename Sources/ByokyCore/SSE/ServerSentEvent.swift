/// One dispatched server-sent event.
///
/// `data` keeps the raw UTF-8 bytes (multi-line `data:` fields joined with `\n`), so no text
/// decoding happens on the hot path and a character split across network chunks is whole here.
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field, or `nil` when the event had none (the spec's default type `message`).
    public var type: String?
    /// The `data:` payload bytes.
    public var data: [UInt8]
    /// The `id:` field of this event, if it had one.
    public var id: String?
    /// The `retry:` field of this event, in milliseconds, if it had a valid one.
    public var retry: Int?

    public init(type: String? = nil, data: [UInt8], id: String? = nil, retry: Int? = nil) {
        self.type = type
        self.data = data
        self.id = id
        self.retry = retry
    }

    public init(type: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.init(type: type, data: Array(data.utf8), id: id, retry: retry)
    }

    /// The payload as text (invalid UTF-8 is repaired with U+FFFD).
    public var dataString: String { String(decoding: data, as: UTF8.self) }

    /// Whether the payload is exactly `[DONE]`, the OpenAI-family end marker.
    public var isDoneMarker: Bool { data.elementsEqual("[DONE]".utf8) }
}
