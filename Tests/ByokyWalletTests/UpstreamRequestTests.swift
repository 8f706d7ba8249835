import NIOCore
import NIOHTTP1
import Testing

@testable import ByokyWallet

/// The bytes of an upstream request, serialized by the client itself.
struct UpstreamRequestTests {
    static func text(_ request: UpstreamRequest) -> String {
        var bytes = request.head
        if var body = request.body { bytes.writeBuffer(&body) }
        return String(buffer: bytes)
    }

    @Test func aRequestIsItsHeadThenItsBodyWithTheLengthSetByTheClient() throws {
        let request = try UpstreamRequest(
            method: "POST",
            target: "/v1/messages?beta=true",
            host: "api.example",
            headers: [
                ("x-api-key", "sk-1"), ("Content-Length", "999"), ("HOST", "elsewhere.example"),
                ("content-type", "application/json"),
            ],
            body: ByteBuffer(string: "{}\n")
        )
        #expect(request.method == .POST)
        #expect(request.body == nil)
        #expect(
            Self.text(request)
                == "POST /v1/messages?beta=true HTTP/1.1\r\nhost: api.example\r\nx-api-key: sk-1\r\n"
                + "content-type: application/json\r\ncontent-length: 3\r\n\r\n{}\n"
        )
    }

    /// More headers than the request keeps verdicts for (64): the client's `host` and
    /// `content-length` are left out wherever they come, every other header kept in order.
    @Test func aLongHeaderListLosesOnlyItsHostAndLength() throws {
        var headers: [(String, String)] = []
        var expected = "POST / HTTP/1.1\r\nhost: h\r\n"
        for index in 0..<140 {
            switch index % 7 {
            case 3: headers.append(("Host", "elsewhere-\(index)"))
            case 5: headers.append(("content-LENGTH", "\(index)"))
            default:
                headers.append(("x-h\(index)", "v\(index)"))
                expected += "x-h\(index): v\(index)\r\n"
            }
        }
        let request = try UpstreamRequest(method: "POST", target: "/", host: "h", headers: headers, body: nil)
        #expect(Self.text(request) == expected + "content-length: 0\r\n\r\n")
    }

    /// A head longer than any first guess, followed by the largest body copied into its buffer:
    /// the bytes are whole and in order, and the buffer was made with room for the body (the
    /// head is measured first, so it is allocated once).
    @Test func aLongHeadAndACopiedBodyShareOneBuffer() throws {
        let headers = (0..<40).map { ("x-header-\($0)", String(repeating: "v", count: 30)) }
        let body = ByteBuffer(repeating: UInt8(ascii: "b"), count: UpstreamRequest.copiedBodyLimit)
        let request = try UpstreamRequest(method: "POST", target: "/v1/x", host: "h", headers: headers, body: body)
        #expect(request.body == nil)
        let text = Self.text(request)
        #expect(text.hasPrefix("POST /v1/x HTTP/1.1\r\nhost: h\r\nx-header-0: "))
        #expect(
            text.hasSuffix(
                "content-length: \(body.readableBytes)\r\n\r\n" + String(repeating: "b", count: body.readableBytes)
            )
        )
        #expect(request.head.readableBytes > 1500 + body.readableBytes)
    }

    /// `writePieces(reservingAfter:)` leaves room for what follows the pieces.
    @Test func piecesWrittenToAnEmptyBufferLeaveTheRoomAsked() {
        var buffer = ByteBuffer()
        buffer.writePieces(reservingAfter: 3000) { text in
            text.append("GET ")
            text.append(String(repeating: "p", count: 600))
        }
        #expect(buffer.readableBytes == 604)
        #expect(buffer.writableBytes >= 3000)
        #expect(String(buffer: buffer) == "GET " + String(repeating: "p", count: 600))
    }

    @Test func withoutABodyOnlyMethodsThatCarryOneSayTheLengthIsZero() throws {
        let post = try UpstreamRequest(method: "POST", target: "/v1/x", host: "h", headers: [], body: nil)
        #expect(Self.text(post) == "POST /v1/x HTTP/1.1\r\nhost: h\r\ncontent-length: 0\r\n\r\n")
        for method in ["GET", "HEAD", "DELETE"] {
            let request = try UpstreamRequest(method: method, target: "/v1/x", host: "h", headers: [], body: nil)
            #expect(Self.text(request) == "\(method) /v1/x HTTP/1.1\r\nhost: h\r\n\r\n")
        }
    }

    @Test func aLargeBodyIsWrittenAfterTheHeadNotCopied() throws {
        let large = ByteBuffer(repeating: UInt8(ascii: "a"), count: UpstreamRequest.copiedBodyLimit + 1)
        let request = try UpstreamRequest(method: "PUT", target: "/", host: "h", headers: [], body: large)
        #expect(request.body == large)
        #expect(String(buffer: request.head).hasSuffix("content-length: \(large.readableBytes)\r\n\r\n"))
        let limit = ByteBuffer(repeating: UInt8(ascii: "a"), count: UpstreamRequest.copiedBodyLimit)
        let copied = try UpstreamRequest(method: "PUT", target: "/", host: "h", headers: [], body: limit)
        #expect(copied.body == nil && copied.head.readableBytes > limit.readableBytes)
    }

    @Test func aMethodOrHeaderThatCouldSplitTheRequestIsRefused() {
        for method in ["", "GE T", "GET\r\nx: y", "GÉT", "GET/"] {
            #expect(throws: UpstreamError.invalidHeader, "\(method)") {
                _ = try UpstreamRequest(method: method, target: "/", host: "h", headers: [], body: nil)
            }
        }
        for header in [("x-note", "a\r\nx-api-key: stolen"), ("x note", "v"), ("", "v"), ("x-nöte", "v")] {
            #expect(throws: UpstreamError.invalidHeader, "\(header)") {
                _ = try UpstreamRequest(method: "GET", target: "/", host: "h", headers: [header], body: nil)
            }
        }
    }

    @Test func theHostHeaderBracketsAnIPv6LiteralAndLeavesOutTheDefaultPort() {
        #expect(UpstreamRequest.hostHeader(host: "api.example", port: 443, defaultPort: 443) == "api.example")
        #expect(UpstreamRequest.hostHeader(host: "127.0.0.1", port: 8080, defaultPort: 80) == "127.0.0.1:8080")
        #expect(UpstreamRequest.hostHeader(host: "::1", port: 11434, defaultPort: 80) == "[::1]:11434")
        #expect(UpstreamRequest.hostHeader(host: "::1", port: 80, defaultPort: 80) == "[::1]")
    }
}
