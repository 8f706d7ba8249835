/// An incremental, byte-level parser for `text/event-stream` (WHATWG HTML §9.2.6).
///
/// Feed it bytes as they arrive, split anywhere: lines may end in LF, CRLF or CR (a CR at the end
/// of one chunk and an LF at the start of the next are one line end), a leading UTF-8 BOM is
/// dropped, comments (`:`) are skipped, multi-line `data:` is joined with `\n`, `event:`, `id:` and
/// `retry:` are read, and an event is dispatched at each blank line. It works on bytes only and
/// keeps at most one event in memory.
///
/// ```swift
/// var decoder = SSEDecoder()
/// for try await chunk in body {
///     try decoder.feed(chunk) { event in handle(event) }
/// }
/// if decoder.finish() { /* the stream ended inside an event */ }
/// ```
public struct SSEDecoder: Sendable {
    /// Errors from the decoder.
    public enum Error: Swift.Error, Sendable, Hashable {
        /// One event (or one line) grew past ``SSEDecoder/maximumEventSize``.
        case eventTooLarge(limit: Int)
    }

    /// The largest event (data plus the current line) the decoder will hold, in bytes.
    public let maximumEventSize: Int

    /// The last `id:` seen in the stream, which a client sends back as `Last-Event-ID`.
    public private(set) var lastEventID: String?

    private var partialLine: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var eventType: String?
    private var eventID: String?
    private var retry: Int?
    private var hasPendingFields = false
    private var skipNextLineFeed = false
    private var isAtStreamStart = true

    /// Creates a decoder; `maximumEventSize` bounds memory per event (default 16 MiB).
    public init(maximumEventSize: Int = 16 * 1024 * 1024) {
        self.maximumEventSize = maximumEventSize
    }

    /// Parses `bytes` and calls `onEvent` for each event completed by them.
    public mutating func feed(
        _ bytes: UnsafeRawBufferPointer,
        _ onEvent: (ServerSentEvent) throws -> Void
    ) throws {
        let count = bytes.count
        var index = 0
        if skipNextLineFeed, count > 0 {
            skipNextLineFeed = false
            if bytes[0] == Self.lineFeed { index = 1 }
        }
        while index < count {
            var end = index
            while end < count {
                let byte = bytes[end]
                if byte == Self.lineFeed || byte == Self.carriageReturn { break }
                end &+= 1
            }
            if end == count {
                guard partialLine.count + (count - index) + data.count <= maximumEventSize else {
                    throw Error.eventTooLarge(limit: maximumEventSize)
                }
                partialLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<count]))
                return
            }
            if partialLine.isEmpty {
                try processLine(UnsafeRawBufferPointer(rebasing: bytes[index..<end]), onEvent)
            } else {
                var line = [UInt8]()
                swap(&line, &partialLine)
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                try line.withUnsafeBytes { try processLine($0, onEvent) }
                line.removeAll(keepingCapacity: true)
                swap(&line, &partialLine)
            }
            let terminator = bytes[end]
            index = end &+ 1
            if terminator == Self.carriageReturn {
                if index < count {
                    if bytes[index] == Self.lineFeed { index &+= 1 }
                } else {
                    skipNextLineFeed = true
                }
            }
        }
    }

    /// Parses `bytes` and calls `onEvent` for each event completed by them.
    public mutating func feed(
        _ bytes: some Sequence<UInt8>,
        _ onEvent: (ServerSentEvent) throws -> Void
    ) throws {
        let handled: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            try feed(UnsafeRawBufferPointer(buffer), onEvent)
        }
        if handled == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { try feed($0, onEvent) }
        }
    }

    /// Parses `bytes` and returns the events they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        try feed(bytes) { events.append($0) }
        return events
    }

    /// Ends the stream. Per the spec an unterminated event is discarded; the return value says
    /// whether there was one (or a partial line), which usually means the stream was cut short.
    @discardableResult
    public mutating func finish() -> Bool {
        let wasTruncated = !partialLine.isEmpty || hasPendingFields
        partialLine.removeAll()
        resetEvent()
        skipNextLineFeed = false
        return wasTruncated
    }

    private mutating func processLine(
        _ line: UnsafeRawBufferPointer,
        _ onEvent: (ServerSentEvent) throws -> Void
    ) throws {
        var line = line
        if isAtStreamStart {
            isAtStreamStart = false
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeRawBufferPointer(rebasing: line[3...])
            }
        }
        if line.isEmpty {
            try dispatch(onEvent)
            return
        }
        if line[0] == Self.colon { return }

        var nameEnd = 0
        while nameEnd < line.count, line[nameEnd] != Self.colon { nameEnd &+= 1 }
        var valueStart = nameEnd
        if valueStart < line.count {
            valueStart &+= 1
            if valueStart < line.count, line[valueStart] == Self.space { valueStart &+= 1 }
        }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<nameEnd])
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])

        if Self.matches(name, Self.dataField) {
            if hasData { data.append(Self.lineFeed) }
            guard data.count + value.count <= maximumEventSize else {
                throw Error.eventTooLarge(limit: maximumEventSize)
            }
            data.append(contentsOf: value)
            hasData = true
            hasPendingFields = true
        } else if Self.matches(name, Self.eventField) {
            eventType = String(decoding: value, as: UTF8.self)
            hasPendingFields = true
        } else if Self.matches(name, Self.idField) {
            if !value.contains(0) {
                let id = String(decoding: value, as: UTF8.self)
                eventID = id
                lastEventID = id
            }
            hasPendingFields = true
        } else if Self.matches(name, Self.retryField) {
            if !value.isEmpty, value.count <= 9,
                value.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
            {
                retry = value.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            }
            hasPendingFields = true
        }
    }

    private mutating func dispatch(_ onEvent: (ServerSentEvent) throws -> Void) throws {
        defer { resetEvent() }
        guard hasData else { return }
        let event = ServerSentEvent(type: eventType, data: data, id: eventID, retry: retry)
        data = []
        try onEvent(event)
    }

    private mutating func resetEvent() {
        if !data.isEmpty { data.removeAll(keepingCapacity: true) }
        hasData = false
        eventType = nil
        eventID = nil
        retry = nil
        hasPendingFields = false
    }

    private static func matches(_ bytes: UnsafeRawBufferPointer, _ expected: StaticString) -> Bool {
        guard bytes.count == expected.utf8CodeUnitCount else { return false }
        let pointer = expected.utf8Start
        for offset in 0..<bytes.count where bytes[offset] != pointer[offset] { return false }
        return true
    }

    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let colon = UInt8(ascii: ":")
    private static let space = UInt8(ascii: " ")
    private static let dataField: StaticString = "data"
    private static let eventField: StaticString = "event"
    private static let idField: StaticString = "id"
    private static let retryField: StaticString = "retry"
}
