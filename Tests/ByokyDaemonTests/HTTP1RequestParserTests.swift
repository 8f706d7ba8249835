import ByokyCore
import ByokyTesting
import NIOCore
import NIOHTTP1
import Testing

@testable import ByokyProxyHTTP

/// The bridge's reader of client requests: every framing a request may have, read the same
/// however the bytes are cut into reads, and every malformed or ambiguous request refused (one
/// request must never be read as two, nor two as one).
struct HTTP1RequestParserTests {
    /// What the parser made of some reads, as text: `head POST /x 1.1 [name: value, …]`, `body …`
    /// (consecutive slices joined), `end`, or `error …`.
    static func read(_ reads: [[UInt8]]) -> [String] {
        var parser = HTTP1RequestParser()
        var seen = PartTranscript()
        var buffer = ByteBuffer()
        do {
            for read in reads {
                buffer.writeBytes(read)
                while let event = try parser.next(&buffer) {
                    switch event {
                    case .head(let head):
                        let fields = head.headers.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
                        seen.note("head \(head.method.rawValue) \(head.uri) 1.\(head.version.minor) [\(fields)]")
                    case .body(let slice):
                        seen.noteBody(String(buffer: slice))
                    case .end:
                        seen.note("end")
                    }
                }
                buffer.discardReadBytes()
            }
        } catch {
            seen.note("error \(error)")
        }
        return seen.lines
    }

    /// The same bytes read whole, cut once at every position, at random places and a byte at a time.
    static func expectSameAtEveryCut(
        _ text: String,
        _ expected: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let bytes = Array(text.utf8)
        var cuttings = ChunkSplits.everySplitPoint(bytes)
        cuttings.append(ChunkSplits.fixedSize(bytes, size: 1))
        cuttings += (1...5).map { ChunkSplits.random(bytes, seed: $0, maximumSize: 7) }
        for reads in cuttings {
            let got = read(reads)
            #expect(got == expected, "reads of \(reads.map(\.count))", sourceLocation: sourceLocation)
            if got != expected { return }
        }
    }

    @Test func aBodyOfDeclaredLengthThenTheNextRequest() {
        Self.expectSameAtEveryCut(
            "POST /anthropic/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n{\"ok\":true}"
                + "GET /health?x=1 HTTP/1.1\r\nHost: x\r\n\r\n",
            [
                "head POST /anthropic/v1/messages 1.1 [Host: x, Content-Length: 11]", "body {\"ok\":true}", "end",
                "head GET /health?x=1 1.1 [Host: x]", "end",
            ]
        )
    }

    @Test func aChunkedBodyWithExtensionsAndTrailers() {
        Self.expectSameAtEveryCut(
            "POST /p HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: yes\r\n\r\n"
                + "POST /q HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            [
                "head POST /p 1.1 [Transfer-Encoding: Chunked]", "body hello, world!!!", "end",
                "head POST /q 1.1 [Transfer-Encoding: chunked]", "end",
            ]
        )
    }

    @Test func whatALenientButValidRequestMayHold() {
        // Empty lines before the request line, spaces and tabs around values, bytes past ASCII
        // in a value, HTTP/1.0, any token as a method, a header-less request.
        Self.expectSameAtEveryCut(
            "\r\n\r\nGET / HTTP/1.0\r\nConnection: keep-alive\r\nX-A:\t v \t\r\nX-B: caf\u{e9}\r\nX-Empty:\r\n\r\n"
                + "PURGE /x HTTP/1.1\r\n\r\n",
            [
                "head GET / 1.0 [Connection: keep-alive, X-A: v, X-B: caf\u{e9}, X-Empty: ]", "end",
                "head PURGE /x 1.1 []", "end",
            ]
        )
    }

    /// Every form a request target may take, and chunk extensions with quoted values.
    @Test func targetFormsAndQuotedChunkExtensions() {
        Self.expectSameAtEveryCut(
            "OPTIONS * HTTP/1.1\r\n\r\nGET http://h:1/x?y HTTP/1.1\r\n\r\nCONNECT h:443 HTTP/1.1\r\n\r\n"
                + "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;a=\"q \\\"x\\\";\";b;c=d\r\nhi\r\n0\r\n\r\n",
            [
                "head OPTIONS * 1.1 []", "end", "head GET http://h:1/x?y 1.1 []", "end", "head CONNECT h:443 1.1 []",
                "end", "head POST /c 1.1 [Transfer-Encoding: chunked]", "body hi", "end",
            ]
        )
    }

    /// After a request that closes the connection, nothing more is read: the server answers it
    /// and closes, and a request sent behind it must not be answered.
    @Test(arguments: [
        "GET /a HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n",
        "GET /a HTTP/1.0\r\n\r\n",
        "GET /a HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n",
    ])
    func nothingIsReadAfterARequestThatCloses(closing: String) {
        let behind = "POST /b HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}"
        let got = Self.read([Array((closing + behind + behind).utf8)])
        #expect(got.count == 2 && got[0].hasPrefix("head GET /a") && got[1] == "end", "\(got)")
    }

    /// Requests that are not HTTP/1.1, or whose end is in doubt, each with the error it gets.
    @Test(arguments: [
        ("\u{0}\u{1}garbage\r\n\r\n", "invalidRequestLine"),
        ("GET / HTTP/9.9\r\n\r\n", "invalidRequestLine"),
        ("GET / http/1.1\r\n\r\n", "invalidRequestLine"),
        ("GET / HTTP/1.1 \r\n\r\n", "invalidRequestLine"),
        ("GET /health\r\n\r\n", "invalidRequestLine"),
        ("GET  / HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("GET\t/ HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("G(T / HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("GET /h\u{e9} HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("GET /a\u{7f}b HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("GET /a\u{0}b HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "invalidRequestLine"),
        ("GET / HTTP/1.1\nHost: x\n\n", "invalidHeader"),
        ("GET / HTTP/1.1\r\nHost: x\nX: y\r\n\r\n", "invalidHeader"),
        ("GET / HTTP/1.1\r\nContent-Length : 2\r\n\r\n{}", "invalidHeader"),
        ("GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n", "invalidHeader"),
        ("GET / HTTP/1.1\r\n: 1\r\n\r\n", "invalidHeader"),
        ("GET / HTTP/1.1\r\nNoColon\r\n\r\n", "invalidHeader"),
        ("GET / HTTP/1.1\r\nX(A): 1\r\n\r\n", "invalidHeader"),
        ("GET / HTTP/1.1\r\nX: a\u{1}b\r\n\r\n", "invalidHeader"),
        ("GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", "invalidHeader"),
        ("GET / HTTP/1.1\r\nX: a\u{7f}b\r\n\r\n", "invalidHeader"),
        ("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "invalidContentLength"),
        ("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\n{}", "invalidContentLength"),
        ("POST / HTTP/1.1\r\nContent-Length: 2, 2\r\n\r\n{}", "invalidContentLength"),
        ("POST / HTTP/1.1\r\nContent-Length: +2\r\n\r\n{}", "invalidContentLength"),
        ("POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n{}", "invalidContentLength"),
        ("POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", "invalidContentLength"),
        ("POST / HTTP/1.1\r\nContent-Length: 9999999999999999999999\r\n\r\n", "invalidContentLength"),
        (
            "POST / HTTP/1.1\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "invalidTransferEncoding"
        ),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "invalidTransferEncoding"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", "invalidTransferEncoding"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", "invalidTransferEncoding"),
        (
            "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            "invalidTransferEncoding"
        ),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n", "invalidTransferEncoding"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding:\r\n\r\n", "invalidTransferEncoding"),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "invalidTransferEncoding"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "invalidChunk"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n;x\r\n", "invalidChunk"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\n", "invalidChunk"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", "invalidChunk"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nBad Trailer: 1\r\n\r\n", "invalidHeader"),
        ("GET 4b HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("GET h!tp://x/ HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("GET ** HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("CONNECT h/x:443 HTTP/1.1\r\n\r\n", "invalidRequestLine"),
        ("POST / HTTP/1.1\r\nContent-Length: 2 \r\n\r\n{}", "invalidHeader"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\t\r\n\r\n0\r\n\r\n", "invalidHeader"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\r\nx\r\n0\r\n\r\n", "invalidChunk"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1; a=b\r\nx\r\n0\r\n\r\n", "invalidChunk"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"open\r\nx\r\n0\r\n\r\n", "invalidChunk"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n", "invalidChunk"),
        ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;;a\r\nx\r\n0\r\n\r\n", "invalidChunk"),
    ])
    func aMalformedRequestIsRefused(request: String, error: String) {
        let got = Self.read([Array(request.utf8)])
        #expect(got.last == "error \(error)", "\(got)")
        // Cut anywhere, the same refusal, and nothing of the bad request read as a request first.
        for reads in ChunkSplits.everySplitPoint(Array(request.utf8)) {
            #expect(Self.read(reads) == got, "reads of \(reads.map(\.count))")
        }
    }

    @Test func aHeadIsReadUpToItsLimits() {
        let manyFields = (0..<HTTP1RequestParser.maximumFieldCount).map { "X-\($0): v\r\n" }.joined()
        let atLimit = Self.read([Array("GET / HTTP/1.1\r\n\(manyFields)\r\n".utf8)])
        #expect(atLimit.count == 2 && atLimit.last == "end")
        #expect(Self.read([Array("GET / HTTP/1.1\r\n\(manyFields)X: 1\r\n\r\n".utf8)]) == ["error headTooLarge"])
        // Too long a head fails as soon as its limit has passed, ended or not.
        let long = String(repeating: "a", count: HTTP1RequestParser.maximumHeadSize)
        #expect(Self.read([Array("GET / HTTP/1.1\r\nX: \(long)".utf8)]) == ["error headTooLarge"])
        #expect(Self.read([Array("GET / HTTP/1.1\r\nX: \(long)\r\n\r\n".utf8)]) == ["error headTooLarge"])
        let fits = String(repeating: "a", count: HTTP1RequestParser.maximumHeadSize - 40)
        #expect(Self.read([Array("GET / HTTP/1.1\r\nX: \(fits)\r\n\r\n".utf8)]).last == "end")
        // A chunk-size line past its limit fails without its end.
        let chunkLine = "1;" + String(repeating: "e", count: HTTP1BodyReader.maximumChunkLineSize)
        #expect(
            Self.read([Array("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\(chunkLine)".utf8)]).last
                == "error invalidChunk"
        )
    }
}
