import ByokyCore
import NIOCore
import NIOHTTP1

/// Reads a provider's HTTP/1.1 answers from the bytes of its connection, one per request sent:
/// the head, then the body as slices of the bytes read (never copied), then the end.
///
/// Strict where leniency could make one answer look like two (or two like one) and so hand the
/// next request another's answer: lines end in CRLF; header names are tokens with no space before
/// the colon; no folded lines; a value holds no control character but a tab; several
/// `content-length` values must agree; a chunk size is plain hexadecimal, its extensions
/// `;token[=token|quoted-string]` (``HTTP1Bytes``, shared with the reader of client requests). The
/// body's framing is RFC 9112's (``HTTP1BodyReader`` reads it): none for a `HEAD`,
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
    typealias Failure = HTTP1MessageError

    /// The longest head (status line and headers) read.
    static let maximumHeadSize = 80 * 1024

    private enum State {
        /// No request is waiting.
        case idle
        /// A head is awaited; `scanned` bytes of the buffer hold no end of head.
        case head(isHEAD: Bool, scanned: Int)
        /// The body is read by `reader`.
        case body(keepAlive: Bool)
        case untilClose
        /// The body is complete: its end is the next event.
        case endDue(keepAlive: Bool)
        case failed
    }

    private var state = State.idle
    /// The reader of the body of the answer being read.
    private var reader = HTTP1BodyReader(length: 0)

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
        case .body where reader.isComplete:
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
        case .head(let isHEAD, var scanned):
            guard let end = try HTTP1Bytes.headEnd(in: buffer, scanned: &scanned, limit: Self.maximumHeadSize) else {
                state = .head(isHEAD: isHEAD, scanned: scanned)
                return nil
            }
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
                    reader = .chunked
                    state = .body(keepAlive: head.isKeepAlive)
                case .length(0):
                    state = .endDue(keepAlive: head.isKeepAlive)
                case .length(let length):
                    reader = HTTP1BodyReader(length: length)
                    state = .body(keepAlive: head.isKeepAlive)
                case .untilClose:
                    head.isKeepAlive = false
                    state = .untilClose
                }
            }
            return .head(head)
        case .body(let keepAlive):
            switch try reader.next(&buffer) {
            case nil:
                return nil
            case .bytes(let slice):
                return .body(slice)
            case .end:
                state = .endDue(keepAlive: keepAlive)
                return try step(&buffer)
            }
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

    /// Reads a status line and header fields (`bytes` ends before the blank line's CRLF CRLF).
    private static func parseHead(_ bytes: UnsafeRawBufferPointer) throws(Failure) -> (head: Head, framing: Framing) {
        let lineEnd = HTTP1Bytes.find(HTTP1Bytes.lineEnd, in: bytes, from: 0) ?? bytes.count
        let (minorVersion, status) = try statusLine(UnsafeRawBufferPointer(rebasing: bytes[..<lineEnd]))
        var framingFields = HTTP1FramingFields(minorVersion: minorVersion)
        var fields: [(String, String)] = []
        fields.reserveCapacity(16)
        if lineEnd < bytes.count {
            try HTTP1Bytes.forEachField(in: UnsafeRawBufferPointer(rebasing: bytes[(lineEnd + 2)...])) {
                name,
                value,
                spaceFollows throws(Failure) in
                try framingFields.note(name: name, value: value, spaceFollows: spaceFollows)
                fields.append((String(utf8Bytes: name), String(utf8Bytes: value)))
            }
        }
        var closes = framingFields.closes
        let framing: Framing
        if framingFields.hasTransferEncoding {
            // A length beside a transfer coding is ignored, and the connection not trusted after.
            if framingFields.length != nil { closes = true }
            framing = framingFields.isChunkedLast ? .chunked : .untilClose
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
}
