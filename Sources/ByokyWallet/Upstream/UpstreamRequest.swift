import ByokyCore
import NIOCore
import NIOHTTP1

/// An upstream request serialized once, before its connection is chosen: the HTTP/1.1 head as
/// bytes ready for the socket (with the body when it is small), and the method the response
/// decoder must know (the answer to a `HEAD` has no body).
///
/// Written straight to the socket by ``UpstreamResponseHandler``: no header list is built for NIO's encoder
/// to serialize again, and the request passes none of the connection's other handlers.
struct UpstreamRequest: Sendable {
    let method: HTTPMethod
    /// The head, followed by the body when it is at most ``copiedBodyLimit`` bytes.
    let head: ByteBuffer
    /// A larger body, written after `head` (not copied).
    let body: ByteBuffer?

    /// Bodies up to this size travel in the head's buffer: one write instead of two.
    static let copiedBodyLimit = 16 * 1024

    /// - Parameters:
    ///   - target: The request target (path and query): ``AbsoluteURL`` refuses whitespace and
    ///     control characters in it.
    ///   - host: The `host` header's value.
    ///   - headers: `host` and `content-length`, in any case, are skipped (set from `host` and
    ///     `body`).
    /// - Throws: ``UpstreamError/invalidHeader`` when the method or a header name is not an HTTP
    ///   token, or a value holds CR, LF or NUL.
    init(method: String, target: String, host: String, headers: [(String, String)], body: ByteBuffer?) throws {
        guard HeaderText.isToken(method) else { throw UpstreamError.invalidHeader }
        // Allocated once the head is measured, with room for a body that travels in it.
        var head = ByteBuffer()
        let copiedBody = body.map { $0.readableBytes <= Self.copiedBodyLimit ? $0.readableBytes : 0 } ?? 0
        for (name, value) in headers {
            guard HeaderText.isToken(name), HeaderText.isSafeValue(value) else { throw UpstreamError.invalidHeader }
        }
        let length = body.map { String($0.readableBytes) } ?? (Self.expectsBody(method) ? "0" : nil)
        head.writePieces(reservingAfter: copiedBody) { text in
            text.append(method)
            text.append(" ")
            text.append(target)
            text.append(" HTTP/1.1\r\nhost: ")
            text.append(host)
            text.append("\r\n")
            for (name, value) in headers
            where !HeaderText.name(name, is: "host") && !HeaderText.name(name, is: "content-length") {
                text.append(name)
                text.append(": ")
                text.append(value)
                text.append("\r\n")
            }
            // Said outright even when zero: without a length, a server would wait for a body or
            // read the next request as one.
            if let length {
                text.append("content-length: ")
                text.append(length)
                text.append("\r\n")
            }
            text.append("\r\n")
        }
        if var small = body, small.readableBytes <= Self.copiedBodyLimit {
            head.writeBuffer(&small)
            self.body = nil
        } else {
            self.body = body
        }
        self.head = head
        self.method = HTTPMethod(rawValue: method)
    }

    /// The `host` header for `host` and `port`: an IPv6 literal in brackets, the port left out
    /// when it is the scheme's default.
    static func hostHeader(host: String, port: Int, defaultPort: Int) -> String {
        var text = host.utf8.contains(UInt8(ascii: ":")) ? "[" + host + "]" : host
        if port != defaultPort {
            text += ":"
            text += String(port)
        }
        return text
    }

    /// Whether a request with this method normally carries a body.
    private static func expectsBody(_ method: String) -> Bool {
        switch method {
        case "GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT": false
        default: true
        }
    }
}
