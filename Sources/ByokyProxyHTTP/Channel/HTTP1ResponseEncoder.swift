import ByokyCore
import ByokyWallet
import HTTPTypes
import NIOCore
import NIOHTTP1

/// Serializes the answers of a bridge connection to HTTP/1.1 bytes: the router's response parts
/// and the route's own answers, whose heads are written straight from their header fields (no
/// header list is built for an encoder to serialize again).
///
/// The framing follows NIO's response encoder: no body for a status that may not have one
/// (1xx, 204, 304) or an answer to `CONNECT` (framing headers removed); `content-length` when the
/// head has one; otherwise chunked, except to an HTTP/1.0 client, which cannot read chunks: its
/// answer's body then lasts until the connection closes (``closesAfterBody``). The answer to a
/// `HEAD` keeps its head as a `GET` would have it, and its body and chunked end are left out.
struct HTTP1ResponseEncoder {
    private var isChunked = false
    private var isBodySuppressed = false
    /// Whether the request being answered is HTTP/1.0 (set as each request's head is read).
    var isAnsweringHTTP10 = false
    /// Whether the answer's body lasts until the connection closes: the connection must close
    /// once it is written.
    private(set) var closesAfterBody = false

    /// How the body of an answer is delimited.
    private enum Framing { case length, chunked, none }

    /// The head of one of the router's answers to a request with `method`.
    mutating func head(_ head: HTTPResponseHead, answering method: HTTPMethod, into buffer: inout ByteBuffer) {
        let framing = framing(
            status: Int(head.status.code),
            method: method,
            hasLength: head.headers.contains(name: "content-length"),
            version: head.version
        )
        let statusLine = "HTTP/\(head.version.major).\(head.version.minor) \(head.status.code) "
        buffer.writePieces { text in
            text.append(statusLine)
            text.append(head.status.reasonPhrase)
            text.append("\r\n")
            for (name, value) in head.headers where !Self.isReplaced(name, framing: framing) {
                Self.appendField(name, value, to: &text)
            }
            Self.appendFraming(framing, to: &text)
        }
    }

    /// The head of a route's own answer (HTTP/1.1) to a request with `method`, with `date` as
    /// given (any `date` among the fields is left out).
    mutating func head(
        _ response: HTTPResponse,
        date: String,
        answering method: HTTPMethod,
        into buffer: inout ByteBuffer
    ) {
        let fields = response.headerFields
        let framing = framing(
            status: response.status.code,
            method: method,
            hasLength: fields.contains(.contentLength),
            version: .http1_1
        )
        let code = String(response.status.code)
        buffer.writePieces { text in
            text.append("HTTP/1.1 ")
            text.append(code)
            text.append(" ")
            text.append(response.status.reasonPhrase)
            text.append("\r\n")
            for field in fields where field.name != .date {
                switch field.name {
                case .contentLength where framing != .length, .transferEncoding: continue
                default: Self.appendField(field.name.rawName, field.value, to: &text)
                }
            }
            text.append("date: ")
            text.append(date)
            text.append("\r\n")
            Self.appendFraming(framing, to: &text)
        }
    }

    /// The head of a wallet answer passed on as it is (HTTP/1.1) to a request with `method`:
    /// `status`, then `fields` in order except the framing headers and `date` (written here:
    /// `content-length` when `contentLength` is known, else chunked) and any that `extra`
    /// replaces, then `extra`, then `date` as given. A field that could not be a header (a name
    /// that is no token; CR, LF or NUL in a value) is left out. The buffer is allocated with
    /// `reservingAfter` bytes to spare after the head (for a body that follows it in one write).
    mutating func head(
        status: Int,
        fields: [(name: String, value: String)],
        extra: [(name: HTTPField.Name, value: String)],
        contentLength: Int?,
        date: String,
        answering method: HTTPMethod,
        reservingAfter spare: Int = 0,
        into buffer: inout ByteBuffer
    ) {
        let framing = framing(status: status, method: method, hasLength: contentLength != nil, version: .http1_1)
        let code = String(status)
        let reason = HTTPResponseStatus(statusCode: status).reasonPhrase
        // Each field is judged once, not again when the pieces are written after being measured.
        let passing = ElementVerdicts(count: fields.count) {
            Self.passesOn(fields[$0].name, fields[$0].value, notIn: extra)
        }
        buffer.writePieces(reservingAfter: spare) { text in
            text.append("HTTP/1.1 ")
            text.append(code)
            text.append(" ")
            text.append(reason)
            text.append("\r\n")
            for (index, (name, value)) in fields.enumerated() where passing[index] {
                Self.appendField(name, value, to: &text)
            }
            if framing == .length, let contentLength {
                text.append("content-length: ")
                text.append(String(contentLength))
                text.append("\r\n")
            }
            for (name, value) in extra { Self.appendField(name.rawName, value, to: &text) }
            text.append("date: ")
            text.append(date)
            text.append("\r\n")
            Self.appendFraming(framing, to: &text)
        }
    }

    /// Whether a field of a passed-on answer goes in its head: a valid header that is neither
    /// framing nor `date` (the encoder writes those) nor named like a field of `extra`, which
    /// replaces it. Read in place: every header of every answer comes through here.
    private static func passesOn(
        _ name: String,
        _ value: String,
        notIn extra: [(name: HTTPField.Name, value: String)]
    ) -> Bool {
        var name = name
        let isOurs = name.withUTF8 { bytes in
            let bytes = UnsafeRawBufferPointer(bytes)
            guard HeaderText.isToken(bytes) else { return true }
            switch bytes.count {
            case 4: return HeaderText.bytes(bytes, are: "date")
            case 14: return HeaderText.bytes(bytes, are: "content-length")
            case 17: return HeaderText.bytes(bytes, are: "transfer-encoding")
            default: return false
            }
        }
        guard !isOurs, !extra.contains(where: { HeaderText.name(name, is: $0.name.canonicalName) }) else {
            return false
        }
        return HeaderText.isSafeValue(value)
    }

    /// Whether the body of the answer whose head was written last goes out as it is (neither left
    /// out, as a `HEAD`'s is, nor framed as chunks).
    var writesBodyAsIs: Bool { !isBodySuppressed && !isChunked }

    /// Writes a body part with `write` (`isLast` on the last write of the part): as it is, or
    /// framed as a chunk. Returns false, with nothing written, for an answer without a body.
    func body(_ part: IOData, write: (IOData, _ isLast: Bool) -> Void) -> Bool {
        guard !isBodySuppressed else { return false }
        guard isChunked else {
            write(part, true)
            return true
        }
        // An empty chunk would end the body: nothing goes out for an empty part.
        guard part.readableBytes > 0 else {
            write(.byteBuffer(ByteBuffer()), true)
            return true
        }
        var prefix = ByteBuffer()
        prefix.writeString(String(part.readableBytes, radix: 16))
        prefix.writeStaticString("\r\n")
        if case .byteBuffer(var bytes) = part, bytes.readableBytes <= 4096 {
            // A small chunk leaves as one buffer.
            prefix.writeBuffer(&bytes)
            prefix.writeStaticString("\r\n")
            write(.byteBuffer(prefix), true)
            return true
        }
        write(.byteBuffer(prefix), false)
        write(part, false)
        write(.byteBuffer(ByteBuffer(staticString: "\r\n")), true)
        return true
    }

    /// The end of an answer: the last chunk and the trailers when chunked; `nil` when nothing
    /// needs writing. The next answer starts afresh.
    mutating func end(trailers: HTTPHeaders?) -> ByteBuffer? {
        defer {
            isChunked = false
            isBodySuppressed = false
        }
        guard isChunked else { return nil }
        var buffer = ByteBuffer(staticString: "0\r\n")
        buffer.writePieces { text in
            for (name, value) in trailers ?? [:] { Self.appendField(name, value, to: &text) }
            text.append("\r\n")
        }
        return buffer
    }

    private mutating func framing(status: Int, method: HTTPMethod, hasLength: Bool, version: HTTPVersion) -> Framing {
        // A non-final informational head (100 Continue) is followed by the real one.
        if (100..<200).contains(status), status != 101 { return .none }
        isBodySuppressed = method == .HEAD || method == .CONNECT
        closesAfterBody = false
        let framing: Framing
        if method == .CONNECT || status == 204 || status == 304 || (100..<200).contains(status) {
            framing = .none
        } else if hasLength {
            framing = .length
        } else if version.major == 1, version.minor >= 1, !isAnsweringHTTP10 {
            framing = .chunked
        } else {
            framing = .none
            closesAfterBody = !isBodySuppressed
        }
        isChunked = framing == .chunked && !isBodySuppressed
        return framing
    }

    private static func appendField(_ name: String, _ value: String, to text: inout PieceWriter) {
        text.append(name)
        text.append(": ")
        text.append(value)
        text.append("\r\n")
    }

    /// Whether a framing header of the head gives way to the encoder's own: `transfer-encoding`
    /// always (it is written back when the body is chunked), `content-length` unless the body is
    /// framed by it. (A route answer's head applies the same rule to its typed field names.)
    private static func isReplaced(_ name: String, framing: Framing) -> Bool {
        HeaderText.name(name, is: "transfer-encoding")
            || (framing != .length && HeaderText.name(name, is: "content-length"))
    }

    /// The head's end: the chunked framing header when the body is chunked, then the blank line.
    private static func appendFraming(_ framing: Framing, to text: inout PieceWriter) {
        if framing == .chunked { text.append("transfer-encoding: chunked\r\n") }
        text.append("\r\n")
    }
}
