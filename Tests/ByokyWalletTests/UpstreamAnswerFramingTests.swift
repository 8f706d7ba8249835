import ByokyCore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOPosix
import Testing

/// The client against a provider that writes its answers byte for byte as scripted: each framing
/// arrives whole over a real socket, a connection is reused only when its answer said it could
/// be, and an answer that is not HTTP fails its request instead of being guessed at.
@Suite(.timeLimit(.minutes(1)))
struct UpstreamAnswerFramingTests {
    /// Answers the n-th request it reads (any connection) with `answers[n]`, written in two
    /// pieces cut in the middle, and closes the connection after it when `closes` holds.
    final class ScriptedProvider: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let script: Script
        private var received = ""

        struct Script: Sendable {
            let answers: [(text: String, closes: Bool)]
            let served = Locked(0)
            let connections = Locked(0)
        }

        init(script: Script) { self.script = script }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += String(buffer: unwrapInboundIn(data))
            // The client's requests here carry no body: a head's end ends the request.
            while let end = received.firstRange(of: "\r\n\r\n") {
                received.removeSubrange(..<end.upperBound)
                let number = script.served.withLock { count in
                    defer { count += 1 }
                    return count
                }
                guard number < script.answers.count else { return }
                let answer = Array(script.answers[number].text.utf8)
                let middle = answer.count / 2
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: answer[..<middle])), promise: nil)
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: answer[middle...])), promise: nil)
                if script.answers[number].closes { context.close(promise: nil) }
            }
        }
    }

    static func withProvider(
        _ answers: [(text: String, closes: Bool)],
        _ body: (AbsoluteURL, ScriptedProvider.Script) async throws -> Void
    ) async throws {
        let script = ScriptedProvider.Script(answers: answers)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                script.connections.withLock { $0 += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptedProvider(script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let url = try #require(AbsoluteURL("http://127.0.0.1:\(port)/v1/messages"))
        do {
            try await body(url, script)
        } catch {
            try? await server.close()
            throw error
        }
        try await server.close()
    }

    /// Sends a GET and reads the whole answer: its status and body text.
    static func get(_ url: AbsoluteURL, with client: UpstreamClient) async throws -> (Int, String) {
        let response = try await client.execute(
            method: "GET",
            url: url,
            headers: [],
            body: nil,
            headTimeout: .seconds(10)
        )
        var text = ""
        for try await chunk in response.body { text += String(buffer: chunk) }
        return (response.status, text)
    }

    static let chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6;x=y\r\nhello \r\n5\r\nworld\r\n0\r\nT: 1\r\n\r\n"

    @Test func chunkedAndLengthAnswersKeepTheConnection() async throws {
        try await Self.withProvider([
            (Self.chunked, false), ("HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", false),
            ("HTTP/1.1 204 No Content\r\n\r\n", false),
        ]) { url, script in
            let client = UpstreamClient()
            #expect(try await Self.get(url, with: client) == (200, "hello world"))
            #expect(try await Self.get(url, with: client) == (201, "ok"))
            #expect(try await Self.get(url, with: client) == (204, ""))
            try await client.shutdown()
            #expect(script.connections.withLock { $0 } == 1)
        }
    }

    /// An error answer's body reaches the reader with the owner's account identifiers masked
    /// (same length), wherever the provider's writes or chunks cut them: held to its end, then
    /// masked. A successful answer is passed on as it is.
    @Test func anErrorAnswersAccountIdentifiersAreMaskedWhereverTheReadsCutThem() async throws {
        let organization = "org-AbCdEfGhIjKlMnOpQrStUvWx"
        let masked = "org-" + String(repeating: "*", count: 24)
        let message = #"{"error":{"message":"Rate limit reached in organization \#(organization) on tokens"}}"#
        // The writer cuts each answer in its middle: the identifier is put across the cut.
        let lengthFramed = "HTTP/1.1 429 Too Many Requests\r\nContent-Length: \(message.utf8.count)\r\n\r\n\(message)"
        let cut = message.firstRange(of: "AbCdEf")!.upperBound
        let first = String(message[..<cut])
        let second = String(message[cut...])
        let chunked =
            "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n"
            + String(first.utf8.count, radix: 16) + "\r\n\(first)\r\n" + String(second.utf8.count, radix: 16)
            + "\r\n\(second)\r\n0\r\n\r\n"
        let success = "HTTP/1.1 200 OK\r\nContent-Length: \(organization.utf8.count)\r\n\r\n\(organization)"
        try await Self.withProvider([(lengthFramed, false), (chunked, false), (success, false)]) { url, _ in
            let client = UpstreamClient()
            let expected = message.replacing(organization, with: masked)
            #expect(try await Self.get(url, with: client) == (429, expected))
            #expect(try await Self.get(url, with: client) == (429, expected))
            #expect(try await Self.get(url, with: client) == (200, organization))
            try await client.shutdown()
        }
    }

    @Test func anAnswerThatEndsWithItsConnectionIsReadWholeAndNotReused() async throws {
        try await Self.withProvider([
            ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", true),
            ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 4\r\n\r\nbyes", false),
            (Self.chunked, false),
        ]) { url, script in
            let client = UpstreamClient()
            #expect(try await Self.get(url, with: client) == (200, "until the end"))
            #expect(try await Self.get(url, with: client) == (200, "byes"))
            #expect(try await Self.get(url, with: client) == (200, "hello world"))
            try await client.shutdown()
            #expect(script.connections.withLock { $0 } == 3)
        }
    }

    @Test func bytesAfterAnAnswerRetireItsConnection() async throws {
        try await Self.withProvider([
            (
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirstHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nsmug!",
                false
            ),
            ("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond", false),
        ]) { url, script in
            let client = UpstreamClient()
            #expect(try await Self.get(url, with: client) == (200, "first"))
            // The smuggled answer is never taken for the next request's.
            #expect(try await Self.get(url, with: client) == (200, "second"))
            try await client.shutdown()
            #expect(script.connections.withLock { $0 } == 2)
        }
    }

    @Test(arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx",
        "HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 1\r\n\r\nx",
        "SPDY/3 200 OK\r\n\r\n",
        "HTTP/1.1 200 OK\nContent-Length: 1\n\nx",
    ])
    func anAnswerThatIsNotHTTPFailsItsRequest(_ answer: String) async throws {
        try await Self.withProvider([(answer, false)]) { url, _ in
            let client = UpstreamClient()
            await #expect(throws: UpstreamError.connectionClosed) { try await Self.get(url, with: client) }
            try await client.shutdown()
        }
    }

    @Test func aBodyCutShortFailsItsReader() async throws {
        try await Self.withProvider([
            ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part", true)
        ]) { url, _ in
            let client = UpstreamClient()
            await #expect(throws: UpstreamError.connectionClosed) { try await Self.get(url, with: client) }
            try await client.shutdown()
        }
    }
}
