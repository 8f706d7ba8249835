import ByokyCore
import ByokyTesting
import NIOCore
import Testing

@testable import ByokyWallet

/// The client's reader of provider answers: every framing RFC 9112 gives a response, read the
/// same however the bytes are cut into reads, and the answers it must refuse rather than guess.
struct UpstreamResponseParserTests {
    /// What the parser made of some bytes, as text: `head 200 len=5 keep [name: value, …]`,
    /// `body …` (consecutive slices joined), `end keep` / `end close`, or `error …`.
    static func read(
        _ reads: [String],
        toHEAD isHEAD: Bool = false,
        thenClose: Bool = false
    ) -> [String] {
        var parser = UpstreamResponseParser()
        parser.expectAnswer(toHEAD: isHEAD)
        var seen = PartTranscript()
        var buffer = ByteBuffer()
        func note(_ event: UpstreamResponseParser.Event) {
            switch event {
            case .head(let head):
                let fields = head.headers.map { "\($0.name): \($0.value)" }.joined(separator: ", ")
                let length = head.contentLength.map { " len=\($0)" } ?? ""
                seen.note("head \(head.status)\(length) \(head.isKeepAlive ? "keep" : "close") [\(fields)]")
            case .body(let slice):
                seen.noteBody(String(buffer: slice))
            case .end(let keepAlive):
                seen.note(keepAlive ? "end keep" : "end close")
            }
        }
        do {
            for read in reads {
                buffer.writeString(read)
                while let event = try parser.next(&buffer) { note(event) }
                buffer.discardReadBytes()
            }
            if thenClose, let event = try parser.inputClosed() { note(event) }
        } catch {
            seen.note("error \(error)")
        }
        return seen.lines
    }

    /// The same bytes read whole, in two reads cut at every position, and one byte at a time.
    static func expectSameAtEveryCut(
        _ bytes: String,
        toHEAD isHEAD: Bool = false,
        thenClose: Bool = false,
        _ expected: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(read([bytes], toHEAD: isHEAD, thenClose: thenClose) == expected, sourceLocation: sourceLocation)
        let characters = Array(bytes.utf8)
        for cut in 1..<characters.count {
            let first = String(decoding: characters[..<cut], as: UTF8.self)
            let second = String(decoding: characters[cut...], as: UTF8.self)
            let got = read([first, second], toHEAD: isHEAD, thenClose: thenClose)
            #expect(got == expected, "cut at \(cut)", sourceLocation: sourceLocation)
        }
        let single = characters.map { String(decoding: [$0], as: UTF8.self) }
        #expect(read(single, toHEAD: isHEAD, thenClose: thenClose) == expected, sourceLocation: sourceLocation)
    }

    @Test func aBodyOfDeclaredLength() {
        Self.expectSameAtEveryCut(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"ok\":true}",
            [
                "head 200 len=11 keep [Content-Type: application/json, Content-Length: 11]", "body {\"ok\":true}",
                "end keep",
            ]
        )
    }

    @Test func aChunkedBodyWithExtensionsAndTrailers() {
        Self.expectSameAtEveryCut(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: yes\r\n\r\n",
            ["head 200 keep [Transfer-Encoding: chunked]", "body hello, world!!!", "end keep"]
        )
        Self.expectSameAtEveryCut(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
            ["head 200 keep [Transfer-Encoding: gzip, Chunked]", "body abc", "end keep"]
        )
    }

    @Test func answersWithoutABody() {
        // A HEAD answer announces the length of the body a GET would have had.
        Self.expectSameAtEveryCut(
            "HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n",
            toHEAD: true,
            ["head 200 len=42 keep [Content-Length: 42]", "end keep"]
        )
        Self.expectSameAtEveryCut("HTTP/1.1 204 No Content\r\n\r\n", ["head 204 keep []", "end keep"])
        Self.expectSameAtEveryCut(
            "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n",
            ["head 304 len=9 keep [Content-Length: 9]", "end keep"]
        )
        Self.expectSameAtEveryCut(
            "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            ["head 200 len=0 keep [Content-Length: 0]", "end keep"]
        )
    }

    @Test func informationalAnswersComeBeforeTheRealOne() {
        Self.expectSameAtEveryCut(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok",
            ["head 201 len=2 keep [Content-Length: 2]", "body ok", "end keep"]
        )
    }

    @Test func aBodyWithoutFramingLastsUntilTheConnectionCloses() {
        Self.expectSameAtEveryCut(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nall of this",
            thenClose: true,
            ["head 200 close [Content-Type: text/plain]", "body all of this", "end close"]
        )
        // A transfer coding other than chunked last: also until close, whatever the length says.
        Self.expectSameAtEveryCut(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 3\r\n\r\nabcdef",
            thenClose: true,
            ["head 200 close [Transfer-Encoding: gzip, Content-Length: 3]", "body abcdef", "end close"]
        )
    }

    @Test func whetherTheConnectionMayBeReused() {
        #expect(
            Self.read(["HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 1\r\n\r\nx"])
                == ["head 200 len=1 close [Connection: keep-alive, Close, Content-Length: 1]", "body x", "end close"]
        )
        #expect(
            Self.read(["HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx"])
                == ["head 200 len=1 close [Content-Length: 1]", "body x", "end close"]
        )
        #expect(
            Self.read(["HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx"])
                == ["head 200 len=1 keep [Connection: Keep-Alive, Content-Length: 1]", "body x", "end keep"]
        )
        // A length beside chunked coding is ignored, and the connection not trusted after.
        #expect(
            Self.read(["HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n"]
            )
                == ["head 200 close [Content-Length: 99, Transfer-Encoding: chunked]", "body x", "end close"]
        )
        // Bytes after the answer that nobody asked for: the answer is whole, the connection is not kept.
        #expect(
            Self.read(["HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n\r\n"])
                == ["head 200 len=1 keep [Content-Length: 1]", "body x", "end close", "error unexpectedBytes"]
        )
        #expect(
            Self.read(["HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"])
                == ["head 101 close [Upgrade: websocket]", "end close"]
        )
    }

    @Test func repeatedLengthsMustAgree() {
        #expect(
            Self.read(["HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok"])
                == ["head 200 len=2 keep [Content-Length: 2, 2, Content-Length: 2]", "body ok", "end keep"]
        )
        for value in ["2, 3", "-1", "+2", "2x", "", " , 2", "0x10", "99999999999999999999"] {
            #expect(
                Self.read(["HTTP/1.1 200 OK\r\nContent-Length: \(value)\r\n\r\nok"]) == ["error invalidContentLength"],
                "content-length \(value)"
            )
        }
    }

    @Test(arguments: [
        "HTTP/2 200 OK\r\n\r\n", "HTTP/1.2 200 OK\r\n\r\n", "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 Low\r\n\r\n", "HTTP/1.1  200 OK\r\n\r\n", "http/1.1 200 OK\r\n\r\n", "HTTP/1.1 200OK\r\n\r\n",
        "ICY 200 OK\r\n\r\n",
    ])
    func statusLinesThatAreNotHTTP1(_ head: String) {
        #expect(Self.read([head]) == ["error invalidStatusLine"])
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nName : value\r\n\r\n", "HTTP/1.1 200 OK\r\nNo colon\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", "HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", "HTTP/1.1 200 OK\r\nA: b\nC: d\r\n\r\n",
        "HTTP/1.1 200 OK\r\nBad[name]: x\r\n\r\n",
    ])
    func headerLinesThatCouldBeReadTwoWays(_ head: String) {
        #expect(Self.read([head]) == ["error invalidHeader"])
    }

    @Test(arguments: [
        "zz\r\n", "\r\n", ";ext\r\n", "1\r\nxy\r\n", "1000000000000000\r\n", "-1\r\n", "1\nx\r\n",
    ])
    func chunkFramingThatIsNotHexadecimalOrMisses(_ chunk: String) {
        let got = Self.read(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + "0\r\n\r\n"])
        #expect(got.last == "error invalidChunk", "\(got)")
    }

    @Test func headsAndChunkLinesHaveALimit() {
        let huge = String(repeating: "a", count: UpstreamResponseParser.maximumHeadSize)
        #expect(Self.read(["HTTP/1.1 200 OK\r\nX: \(huge)"]) == ["error headTooLarge"])
        #expect(Self.read(["HTTP/1.1 200 OK\r\nX: \(huge)\r\n\r\n"]) == ["error headTooLarge"])
        let longExtension = String(repeating: "e", count: HTTP1BodyReader.maximumChunkLineSize)
        #expect(
            Self.read(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;\(longExtension)"]).last
                == "error invalidChunk"
        )
    }

    @Test func anAnswerCutShortIsTruncated() {
        #expect(
            Self.read(["HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel"], thenClose: true)
                == ["head 200 len=5 keep [Content-Length: 5]", "body hel", "error truncated"]
        )
        #expect(
            Self.read(["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"], thenClose: true).last
                == "error truncated"
        )
        #expect(Self.read(["HTTP/1.1 200 OK\r\nContent-"], thenClose: true) == ["error truncated"])
    }

    @Test func bytesWhileNoRequestWaitsAreRefused() {
        var parser = UpstreamResponseParser()
        var buffer = ByteBuffer(string: "HTTP/1.1 200 OK\r\n\r\n")
        #expect(throws: UpstreamResponseParser.Failure.unexpectedBytes) { try parser.next(&buffer) }
        var empty = ByteBuffer()
        #expect((try? parser.inputClosed()) == nil)
        #expect((try? parser.next(&empty)) == nil)
    }

    @Test func oneConnectionCarriesAnswersOneAfterAnother() throws {
        var parser = UpstreamResponseParser()
        var ends = 0
        for (isHEAD, answer) in [
            (false, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"),
            (true, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"),
            (false, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"),
        ] {
            parser.expectAnswer(toHEAD: isHEAD)
            var buffer = ByteBuffer(string: answer)
            while let event = try parser.next(&buffer) {
                if case .end(let keepAlive) = event {
                    #expect(keepAlive)
                    ends += 1
                }
            }
            #expect(buffer.readableBytes == 0)
            #expect(parser.isIdle)
        }
        #expect(ends == 3)
    }
}
