import ByokyCore
import ByokyHTTPServer
import ByokyStore
import ByokyTesting
import Hummingbird
import Logging
import NIOCore
import Testing

/// A connection that waits on its client with nothing arriving is closed after the client idle
/// timeout, on every path a client can stall: before its first request, between requests (after
/// a provider request and after a router request), in the middle of a head sent a byte at a time,
/// and in the middle of a body. An answer being written is never cut for it, however long it
/// takes. Before the timeout, 1,100 silent connections held the bridge's file descriptors for
/// good and it stopped answering.
@Suite(.timeLimit(.minutes(1)))
struct ClientIdleTimeoutTests {
    /// A second: a busy machine may take a few hundred milliseconds between a test's connect
    /// and its first write, which a shorter timeout would count as silence.
    static let timeout: Duration = .seconds(1)
    /// For the tests of what must not be cut: two seconds, so a late first write is never silence.
    static let patientTimeout: Duration = .seconds(2)
    /// The longest a stalled connection may stay open: twice the timeout, and room for a busy machine.
    static let latest: Duration = .seconds(8)

    enum Stall: String, CaseIterable {
        case silent, afterProviderRequest, afterRouterRequest, halfHead, halfBody
    }

    /// What the client sends before it stalls, and how many answers it reads first.
    static func opening(_ stall: Stall, bridge: BridgeFixture) -> (text: String, answers: Int) {
        let port = bridge.port
        switch stall {
        case .silent:
            return ("", 0)
        case .afterProviderRequest:
            return (ProxyChannelTests.anthropicMessages(model: "claude-test", bridge: bridge), 1)
        case .afterRouterRequest:
            return (ProxyChannelTests.request("GET", "/v1/health", port: port), 1)
        case .halfHead:
            return ("POST /anthropic/v1/messages HTTP/1.1\r\nhost: 127.0.0.1:\(port)\r\ncontent-le", 0)
        case .halfBody:
            let head = ProxyChannelTests.messagesHead(
                port: port,
                key: bridge.authHeader(for: .anthropic),
                framing: "content-length: 200"
            )
            return (head + #"{"model":"claude-test","#, 0)
        }
    }

    @Test(arguments: Stall.allCases)
    func aStalledConnectionIsClosed(_ stall: Stall) async throws {
        try await BridgeFixture.with(grant: [.anthropic], clientIdleTimeout: Self.timeout) { bridge in
            let (text, answers) = Self.opening(stall, bridge: bridge)
            // Silence starts at the connect (the opening goes with it), or after the last answer.
            // Not too early is judged from before the connect: a busy machine may resume this task
            // long after the server's silence began, and a time taken then would be short of the
            // server's. Not too late is judged from when the answers were read: on a busy machine
            // the answer itself may take seconds, and none of that is silence.
            // The close itself is timed on the connection's event loop, not when this task reads it.
            let connecting = ContinuousClock.now
            let (responses, sinceConnect, sinceAnswers) = try await RawHTTPConnection.with(
                port: bridge.port,
                opening: text
            ) { connection in
                let responses = try await connection.read(answers)
                let answered = ContinuousClock.now
                let closed = try await connection.closedByServerAt()
                return (responses, closed - connecting, closed - answered)
            }
            #expect(responses.map(\.status) == Array(repeating: 200, count: answers))
            #expect(sinceConnect >= .milliseconds(500), "closed before the timeout")
            #expect(sinceAnswers < Self.latest, "\(sinceAnswers)")
            // Nothing stalled reached the provider; the one whole request did.
            #expect(bridge.upstreamRequests.withLock(\.count) == (stall == .afterProviderRequest ? 1 : 0))
        }
    }

    @Test func aSlowAnswerIsNotCut() async throws {
        // Events 400 ms apart: an answer of eight words outlasts the timeout.
        try await BridgeFixture.with(
            grant: [.anthropic],
            upstreamEventDelay: .milliseconds(400),
            clientIdleTimeout: Self.patientTimeout
        ) { bridge in
            let started = ContinuousClock.now
            let (answer, elapsed, reused) = try await RawHTTPConnection.with(
                port: bridge.port,
                opening: ProxyChannelTests.streamedMessages(words: 8, bridge: bridge)
            ) { connection in
                let answer = try await connection.read(1)
                let elapsed = ContinuousClock.now - started
                // The connection is still good for a next request right after.
                try await connection.write(ProxyChannelTests.request("GET", "/v1/health", port: bridge.port))
                return (answer, elapsed, try await connection.read(1))
            }
            #expect(elapsed > .seconds(3), "the answer was not slow: the test proves nothing")
            #expect(answer.first?.status == 200)
            #expect(answer.first?.text.hasSuffix(ProxyChannelTests.streamEnd) == true)
            #expect(reused.first?.status == 200)
        }
    }

    /// A client that asks for a long answer and stops reading it is closed once its connection has
    /// been back-pressured for the timeout with nothing drained, streamed or whole: the provider's
    /// answer is stopped and the request recorded as cut short. Before, it held the connection,
    /// the answer's task and the provider's connection forever.
    @Test(arguments: [true, false])
    func aClientThatStopsReadingIsClosed(streamed: Bool) async throws {
        try await BridgeFixture.with(grant: [.anthropic], clientIdleTimeout: Self.timeout) { bridge in
            // 13 MB streamed, 6.5 MB whole, in words of 16 KiB (few events, little work): more than
            // the kernel and the bridge hold for a client (about 4 MB here).
            let words = streamed ? 800 : 400
            let request = Self.longAnswerRequest(to: bridge, words: words, streamed: streamed)
            // The request's record ends the wait: a streamed answer's is made once the bridge
            // gives up on the client (filling the buffers on the way takes seconds on a busy
            // machine), a whole answer's once it is handed to the connection, which is then
            // closed within two timeouts.
            var record: RequestLogRecord?
            let late = try await StalledConnection.readingLate(
                port: bridge.port,
                opening: Array(request.utf8),
                meanwhile: {
                    record = try await CancellationTests.firstLogEntry(of: bridge)
                    if !streamed { try await Task.sleep(for: .seconds(3)) }
                },
                patience: .seconds(20)
            )
            let read = try #require(late, "the connection of a client that stopped reading was still open")
            #expect(read.byteCount < 5_500_000, "the client got the whole answer: it was not held")
            #expect(!read.tail.contains("message_stop") && !read.tail.contains("end_turn"))
            if streamed { #expect(record?.errorCode == "CLIENT_CLOSED") }
        }
    }

    /// A client that reads a long answer slowly, a little at a time with pauses, is never cut:
    /// what it drains is progress, though its connection stays back-pressured. A cut fails the
    /// test unless the client itself went half the timeout or more without reading (its task held
    /// up on a busy machine, which proves nothing either way): then it tries again, up to three
    /// times.
    @Test func aSlowReaderIsNotCut() async throws {
        try await BridgeFixture.with(grant: [.anthropic], clientIdleTimeout: Self.timeout) { bridge in
            let request = Self.longAnswerRequest(to: bridge, words: 400, streamed: true)
            for attempt in 1...3 {
                let started = ContinuousClock.now
                // About 1 MB a second: 6.5 MB take several timeouts.
                let answer = try await StalledConnection.readingSlowly(
                    port: bridge.port,
                    opening: Array(request.utf8),
                    burst: 256 * 1024,
                    pause: .milliseconds(250),
                    patience: .seconds(40),
                    // Chunked: the stream's last event, then the body's end.
                    until: { $0.tail.hasSuffix(ProxyChannelTests.streamEnd + "\r\n0\r\n\r\n") }
                )
                let read = try #require(answer, "the slow reader's answer took longer than its patience")
                if read.tail.hasSuffix("\r\n0\r\n\r\n") {
                    #expect(
                        ContinuousClock.now - started > .seconds(3),
                        "the answer was read too fast to prove anything"
                    )
                    #expect(read.byteCount > 6_000_000)
                    return
                }
                let clientStalled = read.longestGap >= Self.timeout / 2
                if clientStalled, attempt < 3 { continue }
                Issue.record(
                    clientStalled
                        ? "the slow reader's own reads were held up for \(read.longestGap) in every try"
                        : "the slow reader's answer was cut (longest gap \(read.longestGap))"
                )
                return
            }
        }
    }

    /// A body in pieces 150 ms apart that outlasts the timeout is answered: each piece is
    /// progress. A cut connection fails the test, unless the test's own task was held up between
    /// two pieces for half the timeout or more (a starved machine: the client itself fell silent,
    /// which proves nothing either way): then it tries again, up to three times.
    @Test func aRequestSentInPiecesWithinTheTimeoutIsAnswered() async throws {
        try await BridgeFixture.with(grant: [.anthropic], clientIdleTimeout: Self.patientTimeout) { bridge in
            let request = ProxyChannelTests.anthropicMessages(model: "claude-test", bridge: bridge)
            let bytes = Array(request.utf8)
            let headEnd = bytes.count - ProxyChannelTests.messages(model: "claude-test").utf8.count
            for attempt in 1...3 {
                let started = ContinuousClock.now
                var longestGap = Duration.zero
                let answers: [RawHTTPConnection.Response]? = try? await RawHTTPConnection.with(
                    port: bridge.port,
                    opening: String(decoding: bytes[..<headEnd], as: UTF8.self)
                ) { connection in
                    // The head went with the connect; the gap to the first piece counts from there.
                    var lastWrite = started
                    for start in stride(from: headEnd, to: bytes.count, by: 4) {
                        try await Task.sleep(for: .milliseconds(150))
                        longestGap = max(longestGap, ContinuousClock.now - lastWrite)
                        try await connection.write(
                            String(decoding: bytes[start..<min(start + 4, bytes.count)], as: UTF8.self)
                        )
                        lastWrite = ContinuousClock.now
                    }
                    return try await connection.read(1)
                }
                if answers?.first?.status == 200 {
                    #expect(
                        ContinuousClock.now - started > .seconds(3),
                        "the body came too fast to outlast the timeout"
                    )
                    return
                }
                // Cut: a fault unless the client itself fell silent for half the timeout or more.
                let clientStalled = longestGap >= Self.patientTimeout / 2
                if clientStalled, attempt < 3 { continue }
                Issue.record(
                    clientStalled
                        ? "the test's own writes were held up for \(longestGap) in every try"
                        : "a client sending within the timeout was cut (longest gap \(longestGap))"
                )
                return
            }
        }
    }

    /// Servers on Hummingbird's own HTTP/1.1 channel (the marketplace, the relay's web side, the
    /// wallet's control socket) close a silent connection too, and keep a slow answer.
    @Test func theRoutedServersChannelClosesASilentConnection() async throws {
        let router = Router()
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(3))
            return "done"
        }
        try await Self.withRoutedServer(router, clientIdleTimeout: Self.patientTimeout) { port in
            // Taken before the connect, as the server's silence can only begin after it; the
            // close on the connection's event loop, not when this task reads it.
            let started = ContinuousClock.now
            let waited = try await RawHTTPConnection.with(port: port) { connection in
                try await connection.closedByServerAt() - started
            }
            #expect(waited >= .seconds(1) && waited < Self.latest, "\(waited)")
            let slow = try await RawHTTPConnection.with(
                port: port,
                opening: "GET /slow HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"
            ) { connection in try await connection.read(1) }
            #expect(slow.first?.text == "done")
        }
    }

    /// Hummingbird's channel closes a client that stops reading a long answer too.
    @Test func theRoutedServersChannelClosesAClientThatStopsReading() async throws {
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let size = 256 * chunk.readableBytes
        let router = Router()
        let chunksWritten = Locked(0)
        // Written a chunk at a time, as a stream would be: the end waits behind the chunks, so
        // the client idle timeout never counts the connection as idle.
        router.get("/large") { _, _ -> Response in
            Response(
                status: .ok,
                body: ResponseBody(contentLength: size) { writer in
                    for index in 0..<256 {
                        try await writer.write(chunk)
                        chunksWritten.withLock { $0 += 1 }
                        // A pause now and then, as a stream has: the writer learns the client
                        // is not reading, and waits (with the end) instead of queueing it all.
                        if index % 8 == 7 { try await Task.sleep(for: .milliseconds(5)) }
                    }
                    try await writer.finish(nil)
                }
            )
        }
        try await Self.withRoutedServer(router, clientIdleTimeout: Self.timeout) { port in
            let late = try await StalledConnection.readingLate(
                port: port,
                opening: Array("GET /large HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n".utf8),
                meanwhile: {
                    // Until the server's writer waits on the client (on a busy machine its task
                    // may take seconds to fill the buffers), then past the stall timeout.
                    try await Self.untilItStops(counting: chunksWritten, within: .seconds(20))
                    try await Task.sleep(for: .seconds(3))
                },
                patience: .seconds(20)
            )
            let read = try #require(late, "the connection of a client that stopped reading was still open")
            #expect(read.byteCount < size / 2, "the client got the whole answer: it was not held")
        }
    }

    /// Waits until `count` has been above zero and unchanged for half a second, or `limit` passed.
    private static func untilItStops(counting count: Locked<Int>, within limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        var last = -1
        var unchangedSince = ContinuousClock.now
        while ContinuousClock.now < deadline {
            let now = count.withLock { $0 }
            if now != last {
                (last, unchangedSince) = (now, ContinuousClock.now)
            } else if now > 0, ContinuousClock.now - unchangedSince >= .milliseconds(500) {
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs `body` with the port of a server for `router` on Hummingbird's channel, as the
    /// project's routed servers build it, with `clientIdleTimeout`.
    static func withRoutedServer(
        _ router: Router<BasicRequestContext>,
        clientIdleTimeout: Duration,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        try await HTTPServerRunner.withRunningServers(
            [
                HTTPServerRunner.Server(
                    router: router,
                    address: .hostname("127.0.0.1", port: 0),
                    server: .byokyHTTP1(clientIdleTimeout: TimeAmount(clientIdleTimeout))
                )
            ],
            logger: .init(label: "test")
        ) { ports in try await body(ports[0]) }
    }

    /// A request to `bridge` for an Anthropic answer of `words` words of 16 KiB.
    private static func longAnswerRequest(to bridge: BridgeFixture, words: Int, streamed: Bool) -> String {
        ProxyChannelTests.request(
            "POST",
            "/anthropic/v1/messages",
            port: bridge.port,
            body: ProxyChannelTests.messages(model: "mock-long-words-\(words)", stream: streamed),
            headers: [bridge.authHeader(for: .anthropic)]
        )
    }
}
