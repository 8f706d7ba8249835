import HTTPTypes
import NIOCore
import NIOHTTP1
import Testing

@testable import ByokyProxyHTTP

/// The bridge's own HTTP/1.1 answer bytes: NIO's response encoder's framing rules, for the
/// router's parts and for the route's answers.
struct HTTP1ResponseEncoderTests {
    /// The bytes of a whole router answer: head, body parts, end.
    static func routerAnswer(
        _ head: HTTPResponseHead,
        method: HTTPMethod = .GET,
        body: [String] = [],
        trailers: HTTPHeaders? = nil
    ) -> String {
        var encoder = HTTP1ResponseEncoder()
        var bytes = ByteBuffer()
        encoder.head(head, answering: method, into: &bytes)
        for part in body {
            _ = encoder.body(.byteBuffer(ByteBuffer(string: part))) { written, _ in
                if case .byteBuffer(var buffer) = written { bytes.writeBuffer(&buffer) }
            }
        }
        if var end = encoder.end(trailers: trailers) { bytes.writeBuffer(&end) }
        return String(buffer: bytes)
    }

    static func head(
        _ status: HTTPResponseStatus,
        _ headers: HTTPHeaders,
        version: HTTPVersion = .http1_1
    )
        -> HTTPResponseHead
    {
        HTTPResponseHead(version: version, status: status, headers: headers)
    }

    @Test func aBodyOfKnownLengthGoesAsItIsAndATransferEncodingBesideItIsDropped() {
        let answer = Self.routerAnswer(
            Self.head(.ok, ["Content-Length": "5", "Transfer-Encoding": "chunked", "x-a": "1"]),
            body: ["hel", "lo"]
        )
        #expect(answer == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nx-a: 1\r\n\r\nhello")
    }

    @Test func aBodyOfUnknownLengthIsChunkedWithItsTrailers() {
        let answer = Self.routerAnswer(
            Self.head(.ok, ["content-type": "text/plain", "transfer-encoding": "gzip"]),
            body: ["hello", "", String(repeating: "x", count: 5000)],
            trailers: ["x-checksum": "abc"]
        )
        let expected =
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n1388\r\n\(String(repeating: "x", count: 5000))\r\n0\r\nx-checksum: abc\r\n\r\n"
        #expect(answer == expected)
    }

    @Test func aStatusWithoutBodyLosesItsFramingHeaders() {
        for status in [HTTPResponseStatus.noContent, .notModified, .continue] {
            let answer = Self.routerAnswer(Self.head(status, ["content-length": "5", "transfer-encoding": "chunked"]))
            #expect(answer == "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n\r\n", "\(status)")
        }
    }

    @Test func theAnswerToAHeadKeepsItsHeadAndDropsItsBody() {
        let chunked = Self.routerAnswer(Self.head(.ok, ["x-a": "1"]), method: .HEAD, body: ["hello"])
        #expect(chunked == "HTTP/1.1 200 OK\r\nx-a: 1\r\ntransfer-encoding: chunked\r\n\r\n")
        let sized = Self.routerAnswer(Self.head(.ok, ["content-length": "5"]), method: .HEAD, body: ["hello"])
        #expect(sized == "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n")
        // The next answer on the connection has its body again.
        var encoder = HTTP1ResponseEncoder()
        var bytes = ByteBuffer()
        encoder.head(Self.head(.ok, ["content-length": "5"]), answering: .HEAD, into: &bytes)
        #expect(!encoder.body(.byteBuffer(ByteBuffer(string: "hello"))) { _, _ in })
        #expect(encoder.end(trailers: nil) == nil)
        encoder.head(Self.head(.ok, ["content-length": "5"]), answering: .GET, into: &bytes)
        #expect(encoder.body(.byteBuffer(ByteBuffer(string: "hello"))) { _, _ in })
    }

    @Test func anHTTP10AnswerWithoutLengthIsNotChunked() {
        let answer = Self.routerAnswer(Self.head(.ok, [:], version: .http1_0), body: ["hello"])
        #expect(answer == "HTTP/1.0 200 OK\r\n\r\nhello")
    }

    /// An HTTP/1.0 client cannot read chunks: an answer of unknown length to it is sent as it
    /// is and ends with the connection, on every kind of head; one of known length, a `HEAD`'s or
    /// a 204 keeps the connection.
    @Test func anAnswerOfUnknownLengthToAnHTTP10ClientEndsWithTheConnection() {
        var encoder = HTTP1ResponseEncoder()
        encoder.isAnsweringHTTP10 = true
        var bytes = ByteBuffer()
        encoder.head(Self.head(.ok, [:]), answering: .GET, into: &bytes)
        #expect(String(buffer: bytes) == "HTTP/1.1 200 OK\r\n\r\n")
        #expect(encoder.closesAfterBody)
        _ = encoder.body(.byteBuffer(ByteBuffer(string: "data: 1\n\n"))) { written, _ in
            if case .byteBuffer(var buffer) = written { bytes.writeBuffer(&buffer) }
        }
        #expect(String(buffer: bytes).hasSuffix("\r\n\r\ndata: 1\n\n"))
        #expect(encoder.end(trailers: nil) == nil)
        var streamed = ByteBuffer()
        encoder.head(
            status: 200,
            fields: [("content-type", "text/event-stream")],
            extra: [],
            contentLength: nil,
            date: Self.date,
            answering: .POST,
            into: &streamed
        )
        #expect(!String(buffer: streamed).contains("transfer-encoding"))
        #expect(encoder.closesAfterBody)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        var routed = ByteBuffer()
        encoder.head(HTTPResponse(status: .ok, headerFields: fields), date: Self.date, answering: .GET, into: &routed)
        #expect(!String(buffer: routed).contains("transfer-encoding") && encoder.closesAfterBody)
        for (length, method, status) in [(Int?(2), HTTPMethod.GET, 200), (nil, .HEAD, 200), (nil, .GET, 204)] {
            var head = ByteBuffer()
            encoder.head(
                status: status,
                fields: [],
                extra: [],
                contentLength: length,
                date: Self.date,
                answering: method,
                into: &head
            )
            #expect(!encoder.closesAfterBody, "\(method) \(status)")
        }
        encoder.isAnsweringHTTP10 = false
        encoder.head(Self.head(.ok, [:]), answering: .GET, into: &bytes)
        #expect(!encoder.closesAfterBody)
    }

    /// Names as the fields spell them (HTTPTypes' own names in their registered case).
    @Test func aRoutesAnswerIsWrittenFromItsFieldsWithTodaysDate() {
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        fields[.date] = "Thu, 01 Jan 1970 00:00:00 GMT"
        fields[.contentLength] = "2"
        fields[HTTPField.Name("X-Byoky-Error-Code")!] = "NOT_FOUND"
        var encoder = HTTP1ResponseEncoder()
        var bytes = ByteBuffer()
        let date = "Fri, 04 Dec 2026 01:02:03 GMT"
        encoder.head(HTTPResponse(status: .notFound, headerFields: fields), date: date, answering: .POST, into: &bytes)
        #expect(
            String(buffer: bytes)
                == "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                + "X-Byoky-Error-Code: NOT_FOUND\r\ndate: \(date)\r\n\r\n"
        )
        var streamed = HTTPFields()
        streamed[.contentType] = "text/event-stream"
        var stream = ByteBuffer()
        encoder.head(HTTPResponse(status: .ok, headerFields: streamed), date: date, answering: .POST, into: &stream)
        #expect(String(buffer: stream).hasSuffix("date: \(date)\r\ntransfer-encoding: chunked\r\n\r\n"))
        #expect(String(buffer: encoder.end(trailers: nil) ?? ByteBuffer()) == "0\r\n\r\n")
    }

    /// A head with more fields than the encoder keeps verdicts for (64) is judged field by field
    /// all the same: every field that could be a header passes, in order, and no other.
    @Test func aWalletAnswerWithManyFieldsKeepsEachValidOneInOrder() {
        var fields: [(name: String, value: String)] = []
        var expected = "HTTP/1.1 200 OK\r\n"
        for index in 0..<150 {
            switch index % 3 {
            case 0:
                fields.append(("x-field-\(index)", "v\(index)"))
                expected += "x-field-\(index): v\(index)\r\n"
            case 1: fields.append(("bad name \(index)", "v"))
            default: fields.append(("x-split-\(index)", "a\r\nx-injected: \(index)"))
            }
        }
        var encoder = HTTP1ResponseEncoder()
        let head = Self.walletHead(status: 200, fields: fields, extra: [], contentLength: 0, encoder: &encoder)
        #expect(head == expected + "content-length: 0\r\ndate: \(Self.date)\r\n\r\n")
    }

    static let date = "Fri, 04 Dec 2026 01:02:03 GMT"

    /// The head `encoder` writes for a wallet answer to a POST, dated ``date``.
    static func walletHead(
        status: Int,
        fields: [(name: String, value: String)],
        extra: [(name: HTTPField.Name, value: String)],
        contentLength: Int?,
        encoder: inout HTTP1ResponseEncoder
    ) -> String {
        var bytes = ByteBuffer()
        encoder.head(
            status: status,
            fields: fields,
            extra: extra,
            contentLength: contentLength,
            date: date,
            answering: .POST,
            into: &bytes
        )
        return String(buffer: bytes)
    }

    /// A wallet answer's head, written from its header list: the provider's framing and date
    /// give way to the encoder's, the page's CORS fields replace the provider's of those names
    /// (in any case), and what could not be a header is left out.
    @Test func aWalletAnswerIsWrittenFromItsHeaderListWithItsOwnFramingAndCORS() {
        let fields: [(name: String, value: String)] = [
            ("content-type", "application/json"), ("Content-Length", "999"), ("TRANSFER-ENCODING", "chunked"),
            ("Date", "Thu, 01 Jan 1970 00:00:00 GMT"), ("Vary", "accept"), ("Access-Control-Allow-Origin", "*"),
            ("access-control-expose-headers", "x-a"), ("bad name", "1"), ("x-split", "a\r\nx-injected: 1"),
            ("x-nul", "a\u{0}b"), ("request-id", "req_1"),
        ]
        let date = Self.date
        var encoder = HTTP1ResponseEncoder()
        let readable = Self.walletHead(
            status: 200,
            fields: fields,
            extra: BridgeCORS.fields(allowing: "https://app.example"),
            contentLength: 2,
            encoder: &encoder
        )
        #expect(
            readable
                == "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_1\r\ncontent-length: 2\r\n"
                + "Access-Control-Allow-Origin: https://app.example\r\nAccess-Control-Expose-Headers: *\r\n"
                + "Vary: origin\r\ndate: \(date)\r\n\r\n"
        )
        // No page to let read it: the provider's own CORS fields stay; unknown length is chunked.
        let streamed = Self.walletHead(status: 429, fields: fields, extra: [], contentLength: nil, encoder: &encoder)
        #expect(
            streamed
                == "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nVary: accept\r\n"
                + "Access-Control-Allow-Origin: *\r\naccess-control-expose-headers: x-a\r\nrequest-id: req_1\r\n"
                + "date: \(date)\r\ntransfer-encoding: chunked\r\n\r\n"
        )
        #expect(String(buffer: encoder.end(trailers: nil) ?? ByteBuffer()) == "0\r\n\r\n")
        // A status that has no body has no framing, whatever its length.
        var empty = ByteBuffer()
        encoder.head(status: 204, fields: [], extra: [], contentLength: 0, date: date, answering: .POST, into: &empty)
        #expect(String(buffer: empty) == "HTTP/1.1 204 No Content\r\ndate: \(date)\r\n\r\n")
    }
}
