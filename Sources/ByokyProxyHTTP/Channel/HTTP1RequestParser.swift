import ByokyCore
import NIOCore
import NIOHTTP1

/// Reads a client's HTTP/1.1 requests from the bytes of its connection, one after another: the
/// head, then the body as slices of the bytes read (never copied), then the end.
///
/// As strict as the reader of provider answers, and for the same reason (one request must never
/// look like two, nor two like one, to this server and to a proxy in front of it): lines end in
/// CRLF; the request line is `method SP target SP HTTP/1.x` with a token for a method and visible
/// ASCII for a target; header names are tokens with no space before the colon; no folded lines;
/// a value holds no control character but a tab. A body is framed by its length (one
/// `content-length` value, in one field) or by `transfer-encoding:
/// chunked` alone in HTTP/1.1, never both; a request with neither has none. Empty lines before a
/// request line are read past (RFC 9112 §2.2); trailer fields are checked and dropped.
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
        case body(HTTP1BodyReader)
        case failed
    }

    private var state = State.head(scanned: 0)

    /// Whether a request has begun and not ended, given the bytes still buffered.
    func isInsideRequest(buffered: Int) -> Bool {
        switch state {
        case .head: buffered > 0
        case .body: true
        case .failed: false
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
        case .body(var reader):
            switch try reader.next(&buffer) {
            case nil:
                state = .body(reader)
                return nil
            case .bytes(let slice):
                state = .body(reader)
                return .body(slice)
            case .end:
                state = .head(scanned: 0)
                return .end
            }
        case .head(let scanned):
            if scanned == 0 {
                while buffer.readableBytes >= 2, buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) == 0x0D0A {
                    buffer.moveReaderIndex(forwardBy: 2)
                }
            }
            guard let end = HTTP1Bytes.find(HTTP1Bytes.headEnd, in: buffer, from: scanned) else {
                guard buffer.readableBytes <= Self.maximumHeadSize else { throw .headTooLarge }
                guard !HTTP1Bytes.hasBareLineFeed(in: buffer, from: scanned) else { throw .invalidHeader }
                state = .head(scanned: max(0, buffer.readableBytes - 3))
                return nil
            }
            guard end <= Self.maximumHeadSize else { throw .headTooLarge }
            let (head, body) = try buffer.withUnsafeReadableBytes { bytes throws(HTTP1MessageError) in
                try Self.parseHead(UnsafeRawBufferPointer(rebasing: bytes[..<end]))
            }
            buffer.moveReaderIndex(forwardBy: end + 4)
            state = .body(body)
            return .head(head)
        }
    }

    /// Reads a request line and header fields (`bytes` ends before the blank line's CRLF CRLF):
    /// the head, and the reader of its body.
    private static func parseHead(
        _ bytes: UnsafeRawBufferPointer
    ) throws(HTTP1MessageError) -> (HTTPRequestHead, HTTP1BodyReader) {
        let lineEnd = HTTP1Bytes.find(HTTP1Bytes.lineEnd, in: bytes, from: 0) ?? bytes.count
        let line = try RequestLine(UnsafeRawBufferPointer(rebasing: bytes[..<lineEnd]))
        var framing = HTTP1FramingFields(minorVersion: line.minorVersion)
        var fields: [(String, String)] = []
        fields.reserveCapacity(16)
        if lineEnd < bytes.count {
            try HTTP1Bytes.forEachField(in: UnsafeRawBufferPointer(rebasing: bytes[(lineEnd + 2)...])) {
                name,
                value throws(HTTP1MessageError) in
                guard fields.count < maximumFieldCount else { throw .headTooLarge }
                try framing.note(name: name, value: value)
                fields.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            }
        }
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
            method: HTTPMethod(rawValue: String(decoding: line.method, as: UTF8.self)),
            uri: String(decoding: line.target, as: UTF8.self),
            headers: HTTPHeaders(fields)
        )
        return (head, body)
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
            let version = UnsafeRawBufferPointer(rebasing: line[(targetEnd + 1)...])
            guard version.count == 8, version.starts(with: Self.versionPrefix),
                version[7] == UInt8(ascii: "0") || version[7] == UInt8(ascii: "1")
            else { throw .invalidRequestLine }
            minorVersion = Int(version[7] - UInt8(ascii: "0"))
        }

        private static let versionPrefix = Array("HTTP/1.".utf8)
    }
}
