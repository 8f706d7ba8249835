/// Removes the usage-only chunk from an OpenAI-family event stream whose app did not ask for it.
///
/// To meter a stream the wallet may add `stream_options.include_usage` to the request
/// (``StreamUsageOptions``). The provider then ends the stream with one extra chunk,
/// `{"choices":[],"usage":{…}}`, which OpenAI's contract sends only when the app asked; code that
/// reads `chunk.choices[0]` breaks on it. The wallet meters the upstream bytes first, then passes
/// them through this filter, which drops exactly that event and keeps every other byte as it came
/// (event boundaries, the finish chunk, `[DONE]`, ids and line endings).
///
/// Complete events are passed on as soon as their closing blank line arrives; only the event
/// still being received is held.
public struct UnrequestedUsageFilter: Sendable {
    /// The largest event held while it arrives; a longer one is passed on unchecked.
    public static let maximumHeldEventSize = 1_048_576

    private var event: [UInt8] = []
    private var atLineStart = true
    private var afterCarriageReturn = false
    /// The previous byte closed an event with a carriage return: a line feed now belongs to it.
    private var closedEventAtCarriageReturn = false
    private var droppedLastEvent = false
    private var passingLongEvent = false

    public init() {}

    /// Filters the next chunk of the stream: the bytes to pass on (possibly none yet).
    public mutating func filter(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for byte in bytes {
            let isLineFeed = byte == 0x0A
            if afterCarriageReturn, isLineFeed {
                // The line feed of a CRLF pair: part of the line the carriage return ended.
                afterCarriageReturn = false
                if closedEventAtCarriageReturn {
                    closedEventAtCarriageReturn = false
                    if !droppedLastEvent { output.append(byte) }
                } else {
                    append(byte, to: &output)
                }
                continue
            }
            afterCarriageReturn = byte == 0x0D
            closedEventAtCarriageReturn = false
            append(byte, to: &output)
            guard isLineFeed || afterCarriageReturn else {
                atLineStart = false
                continue
            }
            if atLineStart {
                // A blank line: the event is complete.
                if passingLongEvent {
                    passingLongEvent = false
                    droppedLastEvent = false
                } else {
                    droppedLastEvent = Self.isUsageOnlyChunk(event)
                    if !droppedLastEvent { output.append(contentsOf: event) }
                }
                event.removeAll(keepingCapacity: true)
                closedEventAtCarriageReturn = afterCarriageReturn
            }
            atLineStart = true
        }
        return output
    }

    /// The bytes still held at the end of the stream (an event without its closing blank line).
    public mutating func finish() -> [UInt8] {
        defer { event = [] }
        return event
    }

    private mutating func append(_ byte: UInt8, to output: inout [UInt8]) {
        if passingLongEvent {
            output.append(byte)
            return
        }
        event.append(byte)
        if event.count > Self.maximumHeldEventSize {
            // Far larger than a usage chunk: pass it on as it comes.
            output.append(contentsOf: event)
            event.removeAll(keepingCapacity: true)
            passingLongEvent = true
        }
    }

    /// Whether `event` (its raw lines) is a chunk with an empty `choices` array and a `usage` object.
    static func isUsageOnlyChunk(_ event: [UInt8]) -> Bool {
        var data: [UInt8] = []
        var lineStart = 0
        var index = 0
        while index <= event.count {
            let atEnd = index == event.count
            if atEnd || event[index] == 0x0A || event[index] == 0x0D {
                let line = event[lineStart..<index]
                if line.starts(with: "data:".utf8) {
                    var value = line.dropFirst(5)
                    if value.first == 0x20 { value = value.dropFirst() }
                    if !data.isEmpty { data.append(0x0A) }
                    data.append(contentsOf: value)
                }
                lineStart = index + 1
            }
            index += 1
        }
        guard UsageMeter.mayCarryUsage(data), let chunk = try? JSONNode.parse(data) else { return false }
        return chunk["choices"]?.arrayValue?.isEmpty == true && chunk["usage"]?.objectValue != nil
    }
}
