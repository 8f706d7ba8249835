import ByokyCore
import NIOCore
import NIOHTTP1

/// Reads a client's HTTP/1.1 requests from the bytes of its connection, one after another: the
/// head, then the body as slices of the bytes read (never copied), then the end.
///
/// As strict as the reader of provider answers, and for the same reason (one request must never
/// look like two, nor two like one, to this server and to a proxy in front of it): lines end in
/// CRLF; the request line is `method SP target SP HTTP/1.x` with a token for a method and, for a
/// target, visible ASCII in one of the four forms (a path, `*`, an absolute URI, `host:port` for
/// `CONNECT`); header names are tokens with no space before the colon; no folded lines; a value
/// holds no control character but a tab, and a framing value no space or tab after it. A body is
/// framed by its length (one `content-length` value, in one field) or by `transfer-encoding:
/// chunked` alone in HTTP/1.1, never both; a request with neither has none. Empty lines before a
/// request line are read past (RFC 9112 §2.2); trailer fields are checked and dropped. After a
/// request that closes the connection (`connection: close`, or HTTP/1.0 without `keep-alive`)
/// nothing more is read, as llhttp did: the server closes once it has answered.
struct HTTP1RequestParser {
    enum Event {
        case head(HTTPRequestHead)
        case body(ByteBuffer)
        case end
    }

    /// The longest head (request line and headers) read: the 80 KiB of headers NIO's decoder
    /// took here before, and a long target.
    static let maximumHeadSize = 96 * 1024
    /// The most header fields in one head.
    static let maximumFieldCount = 1000

    private enum State {
        /// A head is awaited; `scanned` bytes of the buffer hold no end of head.
        case head(scanned: Int)
        /// The body is read by `reader`; `closes`: the request asked for the connection to close
        /// after its answer.
        case body(closes: Bool)
        /// A request that closes the connection has ended: whatever follows is dropped, as the
        /// server closes the connection once it has answered.
        case closed
        case failed
    }

    private var state = State.head(scanned: 0)
    /// The reader of the body of the request being read.
    private var reader = HTTP1BodyReader(length: 0)

    /// Whether a request that closes the connection has ended: nothing more is read.
    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    /// Whether a request has begun and not ended, given the bytes still buffered.
    func isInsideRequest(buffered: Int) -> Bool {
        switch state {
        case .head: buffered > 0
        case .body: true
        case .closed, .failed: false
        }
    }

    /// The next event the bytes at `buffer`'s reader index make, consuming them, or `nil` when
    /// more bytes are needed (what is left must be kept, with what comes next appended).
    mutating func next(_ buffer: inout ByteBuffer) throws(HTTP1MessageError) -> Event? {
        do {
            return try step(&buffer)
        } catch {
            state = .failed
            throw error
        }
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws(HTTP1MessageError) -> Event? {
        switch state {
        case .failed:
            return nil
        case .closed:
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return nil
        case .body(let closes):
            switch try reader.next(&buffer) {
            case nil:
                return nil
            case .bytes(let slice):
                return .body(slice)
            case .end:
                state = closes ? .closed : .head(scanned: 0)
                return .end
            }
        case .head(let scanned):
            if scanned == 0 {
                while buffer.readableBytes >= 2, buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) == 0x0D0A {
                    buffer.moveReaderIndex(forwardBy: 2)
                }
            }
            var scanned = scanned
            guard let end = try HTTP1Bytes.headEnd(in: buffer, scanned: &scanned, limit: Self.maximumHeadSize) else {
                state = .head(scanned: scanned)
                return nil
            }
            let (head, body, closes) = try buffer.withUnsafeReadableBytes { bytes throws(HTTP1MessageError) in
                try Self.parseHead(UnsafeRawBufferPointer(rebasing: bytes[..<end]))
            }
            buffer.moveReaderIndex(forwardBy: end + 4)
            reader = body
            state = .body(closes: closes)
            return .head(head)
        }
    }

    /// Reads a request line and header fields (`bytes` ends before the blank line's CRLF CRLF):
    /// the head, the reader of its body, and whether the connection closes after it.
    private static func parseHead(
        _ bytes: UnsafeRawBufferPointer
    ) throws(HTTP1MessageError) -> (HTTPRequestHead, HTTP1BodyReader, Bool) {
        let lineEnd = HTTP1Bytes.find(HTTP1Bytes.lineEnd, in: bytes, from: 0) ?? bytes.count
        let line = try RequestLine(UnsafeRawBufferPointer(rebasing: bytes[..<lineEnd]))
        var framing = HTTP1FramingFields(minorVersion: line.minorVersion)
        var fields: [(String, String)] = []
        fields.reserveCapacity(16)
        if lineEnd < bytes.count {
            try HTTP1Bytes.forEachField(in: UnsafeRawBufferPointer(rebasing: bytes[(lineEnd + 2)...])) {
                name,
                value,
                spaceFollows throws(HTTP1MessageError) in
                guard fields.count < maximumFieldCount else { throw .headTooLarge }
                try framing.note(name: name, value: value, spaceFollows: spaceFollows)
                fields.append((String(utf8Bytes: name), String(utf8Bytes: value)))
            }
        }
        // Framing values end where their text does (see `hasSpacedFramingValue`).
        guard !framing.hasSpacedFramingValue else { throw .invalidHeader }
        let body: HTTP1BodyReader
        if framing.hasTransferEncoding {
            // RFC 9112 §6.1: a length beside a coding, a coding in HTTP/1.0, or one this server
            // cannot undo leaves the body's end in doubt.
            guard framing.length == nil, line.minorVersion == 1, framing.transferCodings == 1, framing.isChunkedLast
            else { throw .invalidTransferEncoding }
            body = .chunked
        } else {
            guard framing.lengthValues <= 1 else { throw .invalidContentLength }
            body = HTTP1BodyReader(length: framing.length ?? 0)
        }
        let head = HTTPRequestHead(
            version: HTTPVersion(major: 1, minor: line.minorVersion),
            method: HTTPMethod(rawValue: String(utf8Bytes: line.method)),
            uri: String(utf8Bytes: line.target),
            headers: HTTPHeaders(fields)
        )
        return (head, body, framing.closes)
    }

    /// `method SP request-target SP HTTP-version`, one space each.
    private struct RequestLine {
        let method: UnsafeRawBufferPointer
        let target: UnsafeRawBufferPointer
        let minorVersion: Int

        init(_ line: UnsafeRawBufferPointer) throws(HTTP1MessageError) {
            guard let methodEnd = line.firstIndex(of: 0x20), methodEnd > 0 else { throw .invalidRequestLine }
            method = UnsafeRawBufferPointer(rebasing: line[..<methodEnd])
            guard HeaderText.isToken(method) else { throw .invalidRequestLine }
            let targetStart = methodEnd + 1
            var targetEnd = targetStart
            // Visible ASCII only: no space, control, DEL or byte past ASCII.
            while targetEnd < line.count, line[targetEnd] > 0x20, line[targetEnd] < 0x7F { targetEnd += 1 }
            guard targetEnd > targetStart, targetEnd < line.count, line[targetEnd] == 0x20 else {
                throw .invalidRequestLine
            }
            target = UnsafeRawBufferPointer(rebasing: line[targetStart..<targetEnd])
            guard Self.isRequestTarget(target, method: method) else { throw .invalidRequestLine }
            let version = UnsafeRawBufferPointer(rebasing: line[(targetEnd + 1)...])
            guard version.count == 8, version.starts(with: Self.versionPrefix),
                version[7] == UInt8(ascii: "0") || version[7] == UInt8(ascii: "1")
            else { throw .invalidRequestLine }
            minorVersion = Int(version[7] - UInt8(ascii: "0"))
        }

        private static let versionPrefix = Array("HTTP/1.".utf8)

        /// One of RFC 9112's four forms: a path (`/…`), `*`, an absolute URI (`scheme://…`), or
        /// for `CONNECT` a `host:port`.
        private static func isRequestTarget(_ target: UnsafeRawBufferPointer, method: UnsafeRawBufferPointer) -> Bool {
            if target[0] == UInt8(ascii: "/") { return true }
            if target.count == 1 { return target[0] == UInt8(ascii: "*") }
            if HeaderText.bytes(method, are: "connect") { return !target.contains(UInt8(ascii: "/")) }
            // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then "://".
            guard let colon = target.firstIndex(of: UInt8(ascii: ":")), colon > 0,
                target.count > colon + 2, target[colon + 1] == UInt8(ascii: "/"), target[colon + 2] == UInt8(ascii: "/")
            else { return false }
            for (offset, byte) in target[..<colon].enumerated() {
                let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
                let isOther =
                    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") || byte == UInt8(ascii: "+")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                guard isLetter || (offset > 0 && isOther) else { return false }
            }
            return true
        }
    }
}
