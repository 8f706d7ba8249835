import ByokyCore
import NIOCore
import NIOHTTP1

/// Reads a provider's HTTP/1.1 answers from the bytes of its connection, one per request sent:
/// the head, then the body as slices of the bytes read (never copied), then the end.
///
/// Strict where leniency could make one answer look like two (or two like one) and so hand the
/// next request another's answer: lines end in CRLF; header names are tokens with no space before
/// the colon; no folded lines; a value holds no CR, LF or NUL; several `content-length` values must
/// agree; a chunk size is plain hexadecimal. The body's framing is RFC 9112's: none for a `HEAD`,
/// a 1xx, 204 or 304 answer; chunked when the last transfer coding is `chunked`; else the declared
/// length; else until the connection closes. An answer is reusable (keep-alive) only when its
/// framing ends on its own, nothing follows it unasked, and neither side said `close`.
struct UpstreamResponseParser {
    /// An answer's head.
    struct Head: Sendable {
        let status: Int
        let headers: HTTPHeaders
        /// The declared length of a body framed by length (`nil` when chunked or until close).
        let contentLength: Int?
        /// Whether the connection may carry another request after this answer.
        var isKeepAlive: Bool
    }

    enum Event {
        case head(Head)
        case body(ByteBuffer)
        case end(keepAlive: Bool)
    }

    /// Why bytes could not be read as an answer.
    enum Failure: Error, Equatable {
        case invalidStatusLine
        case invalidHeader
        case headTooLarge
        case invalidContentLength
        case invalidChunk
        /// The connection closed before the answer ended.
        case truncated
        /// Bytes came while no request was waiting for an answer.
        case unexpectedBytes
    }

    /// The longest head (status line and headers) read.
    static let maximumHeadSize = 80 * 1024
    /// The longest chunk-size line (size and extensions) or trailer section read.
    static let maximumChunkLineSize = 4 * 1024

    private enum State {
        /// No request is waiting.
        case idle
        /// A head is awaited; `scanned` bytes of the buffer hold no end of head.
        case head(isHEAD: Bool, scanned: Int)
        case lengthBody(remaining: Int, keepAlive: Bool)
        case chunkSize(keepAlive: Bool)
        case chunkData(remaining: Int, keepAlive: Bool)
        case chunkDataEnd(keepAlive: Bool)
        case trailers(keepAlive: Bool, scanned: Int)
        case untilClose
        /// The body is complete: its end is the next event.
        case endDue(keepAlive: Bool)
        case failed
    }

    private var state = State.idle

    /// Whether no answer is being read.
    var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }

    /// Expects the answer to a request just sent (`isHEAD`: its method was `HEAD`).
    mutating func expectAnswer(toHEAD isHEAD: Bool) {
        state = .head(isHEAD: isHEAD, scanned: 0)
    }

    /// The next event the bytes at `buffer`'s reader index make, consuming them, or `nil` when
    /// more bytes are needed (what is left must be kept, with what comes next appended).
    mutating func next(_ buffer: inout ByteBuffer) throws(Failure) -> Event? {
        do {
            return try step(&buffer)
        } catch {
            state = .failed
            throw error
        }
    }

    /// The connection closed: the end of an answer read until close, else ``Failure/truncated``
    /// when an answer was due (`nil` when none was).
    mutating func inputClosed() throws(Failure) -> Event? {
        switch state {
        case .idle, .failed:
            return nil
        case .untilClose, .endDue:
            state = .idle
            return .end(keepAlive: false)
        default:
            state = .failed
            throw .truncated
        }
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws(Failure) -> Event? {
        switch state {
        case .idle:
            guard buffer.readableBytes == 0 else { throw .unexpectedBytes }
            return nil
        case .failed:
            return nil
        case .endDue(let keepAlive):
            state = .idle
            // Bytes nobody asked for after an answer: the connection cannot be trusted with another.
            return .end(keepAlive: keepAlive && buffer.readableBytes == 0)
        case .head(let isHEAD, let scanned):
            guard let end = Self.find(Self.headEnd, in: buffer, from: scanned) else {
                guard buffer.readableBytes <= Self.maximumHeadSize else { throw .headTooLarge }
                // A line ended by a bare LF would otherwise wait for a CRLF CRLF that never comes.
                guard !Self.hasBareLineFeed(in: buffer, from: scanned) else { throw .invalidHeader }
                state = .head(isHEAD: isHEAD, scanned: max(0, buffer.readableBytes - 3))
                return nil
            }
            guard end <= Self.maximumHeadSize else { throw .headTooLarge }
            let parsed = try buffer.withUnsafeReadableBytes { bytes throws(Failure) in
                try Self.parseHead(UnsafeRawBufferPointer(rebasing: bytes[..<end]))
            }
            buffer.moveReaderIndex(forwardBy: end + 4)
            // Informational answers (100 Continue) come before the real one; 101 is never asked for.
            if parsed.head.status < 200, parsed.head.status != 101 {
                state = .head(isHEAD: isHEAD, scanned: 0)
                return try step(&buffer)
            }
            var head = parsed.head
            if head.status == 101 {
                // A switch of protocols ends what HTTP can read on this connection.
                head.isKeepAlive = false
                state = .endDue(keepAlive: false)
            } else if isHEAD || head.status == 204 || head.status == 304 {
                state = .endDue(keepAlive: head.isKeepAlive)
            } else {
                switch parsed.framing {
                case .chunked:
                    state = .chunkSize(keepAlive: head.isKeepAlive)
                case .length(0):
                    state = .endDue(keepAlive: head.isKeepAlive)
                case .length(let length):
                    state = .lengthBody(remaining: length, keepAlive: head.isKeepAlive)
                case .untilClose:
                    head.isKeepAlive = false
                    state = .untilClose
                }
            }
            return .head(head)
        case .lengthBody(let remaining, let keepAlive):
            guard buffer.readableBytes > 0 else { return nil }
            let count = min(remaining, buffer.readableBytes)
            state =
                count == remaining
                ? .endDue(keepAlive: keepAlive) : .lengthBody(remaining: remaining - count, keepAlive: keepAlive)
            return .body(buffer.readSlice(length: count)!)
        case .chunkSize(let keepAlive):
            guard let lineEnd = Self.find(Self.lineEnd, in: buffer, from: 0) else {
                guard buffer.readableBytes <= Self.maximumChunkLineSize else { throw .invalidChunk }
                return nil
            }
            guard lineEnd <= Self.maximumChunkLineSize else { throw .invalidChunk }
            let size = try buffer.withUnsafeReadableBytes { bytes throws(Failure) in
                try Self.chunkSize(UnsafeRawBufferPointer(rebasing: bytes[..<lineEnd]))
            }
            buffer.moveReaderIndex(forwardBy: lineEnd + 2)
            state =
                size == 0
                ? .trailers(keepAlive: keepAlive, scanned: 0) : .chunkData(remaining: size, keepAlive: keepAlive)
            return try step(&buffer)
        case .chunkData(let remaining, let keepAlive):
            guard buffer.readableBytes > 0 else { return nil }
            let count = min(remaining, buffer.readableBytes)
            state =
                count == remaining
                ? .chunkDataEnd(keepAlive: keepAlive) : .chunkData(remaining: remaining - count, keepAlive: keepAlive)
            return .body(buffer.readSlice(length: count)!)
        case .chunkDataEnd(let keepAlive):
            guard buffer.readableBytes >= 2 else { return nil }
            guard buffer.readInteger(as: UInt16.self) == 0x0D0A else { throw .invalidChunk }
            state = .chunkSize(keepAlive: keepAlive)
            return try step(&buffer)
        case .trailers(let keepAlive, let scanned):
            // Trailer fields are checked and read past, not kept: an empty line ends them.
            if buffer.readableBytes >= 2, buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) == 0x0D0A {
                buffer.moveReaderIndex(forwardBy: 2)
                state = .endDue(keepAlive: keepAlive)
                return try step(&buffer)
            }
            guard let end = Self.find(Self.headEnd, in: buffer, from: scanned) else {
                guard buffer.readableBytes <= Self.maximumChunkLineSize else { throw .invalidChunk }
                state = .trailers(keepAlive: keepAlive, scanned: max(0, buffer.readableBytes - 3))
                return nil
            }
            guard end <= Self.maximumChunkLineSize else { throw .invalidChunk }
            try buffer.withUnsafeReadableBytes { bytes throws(Failure) in
                try Self.forEachField(in: UnsafeRawBufferPointer(rebasing: bytes[..<end])) { _, _ in }
            }
            buffer.moveReaderIndex(forwardBy: end + 4)
            state = .endDue(keepAlive: keepAlive)
            return try step(&buffer)
        case .untilClose:
            guard buffer.readableBytes > 0 else { return nil }
            return .body(buffer.readSlice(length: buffer.readableBytes)!)
        }
    }

    // MARK: Heads

    private enum Framing {
        case chunked
        case length(Int)
        case untilClose
    }

    private static let headEnd: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
    private static let lineEnd: [UInt8] = [0x0D, 0x0A]

    /// The offset of `pattern` in `buffer`'s readable bytes, searching from `start`.
    private static func find(_ pattern: [UInt8], in buffer: ByteBuffer, from start: Int) -> Int? {
        buffer.withUnsafeReadableBytes { find(pattern, in: $0, from: start) }
    }

    /// The offset of `pattern` in `bytes`, searching from `start`.
    private static func find(_ pattern: [UInt8], in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        let count = bytes.count
        guard count >= pattern.count else { return nil }
        var index = start
        let first = pattern[0]
        while index <= count - pattern.count {
            if bytes[index] == first {
                var matched = 1
                while matched < pattern.count, bytes[index + matched] == pattern[matched] { matched += 1 }
                if matched == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }

    /// Whether an LF not preceded by CR is among `buffer`'s readable bytes from `start` on.
    private static func hasBareLineFeed(in buffer: ByteBuffer, from start: Int) -> Bool {
        buffer.withUnsafeReadableBytes { bytes in
            var index = start
            while index < bytes.count {
                if bytes[index] == 0x0A, index == 0 || bytes[index - 1] != 0x0D { return true }
                index += 1
            }
            return false
        }
    }

    /// What the framing headers of a head say, read as its fields go past.
    private struct FramingFields {
        var chunked = false
        var hasTransferEncoding = false
        var length: Int?
        var closes: Bool
        let minorVersion: Int

        /// Notes a field when it is one of the framing headers.
        mutating func note(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) throws(Failure) {
            switch name.count {
            case 14 where HeaderText.bytes(name, are: "content-length"):
                try forEachItem(of: value, keepingEmpty: true) { item throws(Failure) in
                    guard !item.isEmpty, item.count <= 18 else { throw .invalidContentLength }
                    var parsed = 0
                    for digit in item {
                        guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else {
                            throw .invalidContentLength
                        }
                        parsed = parsed * 10 + Int(digit - UInt8(ascii: "0"))
                    }
                    if let length, length != parsed { throw .invalidContentLength }
                    length = parsed
                }
            case 17 where HeaderText.bytes(name, are: "transfer-encoding"):
                hasTransferEncoding = true
                var last: UnsafeRawBufferPointer?
                forEachItem(of: value, keepingEmpty: false) { last = $0 }
                chunked = last.map { HeaderText.bytes($0, are: "chunked") } ?? false
            case 10 where HeaderText.bytes(name, are: "connection"):
                forEachItem(of: value, keepingEmpty: false) { option in
                    if HeaderText.bytes(option, are: "close") {
                        closes = true
                    } else if minorVersion == 0, HeaderText.bytes(option, are: "keep-alive") {
                        closes = false
                    }
                }
            default:
                break
            }
        }

        /// The items of a comma-separated value, without surrounding spaces and tabs.
        private func forEachItem<E: Error>(
            of value: UnsafeRawBufferPointer,
            keepingEmpty: Bool,
            _ body: (UnsafeRawBufferPointer) throws(E) -> Void
        ) throws(E) {
            var start = 0
            while start <= value.count {
                var end = start
                while end < value.count, value[end] != UInt8(ascii: ",") { end += 1 }
                var first = start
                var last = end
                while first < last, value[first] == 0x20 || value[first] == 0x09 { first += 1 }
                while last > first, value[last - 1] == 0x20 || value[last - 1] == 0x09 { last -= 1 }
                if first < last || keepingEmpty { try body(UnsafeRawBufferPointer(rebasing: value[first..<last])) }
                start = end + 1
            }
        }
    }

    /// Reads a status line and header fields (`bytes` ends before the blank line's CRLF CRLF).
    private static func parseHead(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> (head: Head, framing: Framing) {
        let lineEnd = find(Self.lineEnd, in: bytes, from: 0) ?? bytes.count
        let (minorVersion, status) = try statusLine(UnsafeRawBufferPointer(rebasing: bytes[..<lineEnd]))
        var framingFields = FramingFields(closes: minorVersion == 0, minorVersion: minorVersion)
        var fields: [(String, String)] = []
        fields.reserveCapacity(16)
        if lineEnd < bytes.count {
            try forEachField(in: UnsafeRawBufferPointer(rebasing: bytes[(lineEnd + 2)...])) {
                name,
                value throws(Failure) in
                try framingFields.note(name: name, value: value)
                fields.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            }
        }
        var closes = framingFields.closes
        let framing: Framing
        if framingFields.hasTransferEncoding {
            // A length beside a transfer coding is ignored, and the connection not trusted after.
            if framingFields.length != nil { closes = true }
            framing = framingFields.chunked ? .chunked : .untilClose
        } else if let length = framingFields.length {
            framing = .length(length)
        } else {
            framing = .untilClose
        }
        let declared: Int? = if case .length(let length) = framing { length } else { nil }
        return (
            Head(status: status, headers: HTTPHeaders(fields), contentLength: declared, isKeepAlive: !closes), framing
        )
    }

    /// `HTTP/1.x SP 3DIGIT [SP reason]`: the minor version and the status.
    private static func statusLine(_ line: UnsafeRawBufferPointer) throws(Failure) -> (Int, Int) {
        guard line.count >= 12, line.starts(with: statusLinePrefix) else { throw .invalidStatusLine }
        let minor = line[7]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1"), line[8] == 0x20 else {
            throw .invalidStatusLine
        }
        var status = 0
        for index in 9..<12 {
            let digit = line[index]
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { throw .invalidStatusLine }
            status = status * 10 + Int(digit - UInt8(ascii: "0"))
        }
        guard status >= 100, line.count == 12 || line[12] == 0x20 else { throw .invalidStatusLine }
        for byte in line[12...] where byte == 0x0D || byte == 0x0A || byte == 0 { throw .invalidStatusLine }
        return (Int(minor - UInt8(ascii: "0")), status)
    }

    private static let statusLinePrefix = Array("HTTP/1.".utf8)

    /// Calls `body` with each `name: value` of header lines separated by CRLF (the last without
    /// one), the value without surrounding spaces and tabs.
    private static func forEachField(
        in bytes: UnsafeRawBufferPointer,
        _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws(Failure) -> Void
    ) throws(Failure) {
        var start = 0
        while start < bytes.count {
            let end = find(Self.lineEnd, in: bytes, from: start) ?? bytes.count
            let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw .invalidHeader }
            let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
            guard HeaderText.isToken(name) else { throw .invalidHeader }
            var valueStart = colon + 1
            var valueEnd = line.count
            while valueStart < valueEnd, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            let value = UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd])
            for byte in value where byte == 0x0D || byte == 0x0A || byte == 0 { throw .invalidHeader }
            try body(name, value)
            start = end + 2
        }
    }

    /// A chunk-size line: hexadecimal digits, then optional `;` extensions (read past).
    private static func chunkSize(_ line: UnsafeRawBufferPointer) throws(Failure) -> Int {
        var size = 0
        var digits = 0
        for (offset, byte) in line.enumerated() {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte - UInt8(ascii: "A") + 10)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: ";"), 0x20, 0x09:
                guard digits > 0 else { throw .invalidChunk }
                for rest in line[offset...] where rest == 0x0D || rest == 0x0A || rest == 0 { throw .invalidChunk }
                return size
            default:
                throw .invalidChunk
            }
            digits += 1
            // 15 hexadecimal digits: far beyond any body, short of overflow.
            guard digits <= 15 else { throw .invalidChunk }
            size = size * 16 + value
        }
        guard digits > 0 else { throw .invalidChunk }
        return size
    }
}
