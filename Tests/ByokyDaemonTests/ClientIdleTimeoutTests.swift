import ByokyCore
import ByokyHTTPServer
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
            let (responses, closed, waited) = try await RawHTTPConnection.with(port: bridge.port) { connection in
                let connected = ContinuousClock.now
                if !text.isEmpty { try await connection.write(text) }
                let responses = try await connection.read(answers)
                // Silence starts at the connect, or after the last answer.
                let stalled = answers > 0 ? ContinuousClock.now : connected
                let closed = try await connection.isClosedByServer()
                return (responses, closed, ContinuousClock.now - stalled)
            }
            #expect(responses.map(\.status) == Array(repeating: 200, count: answers))
            #expect(closed)
            #expect(waited >= .milliseconds(500), "closed before the timeout")
            #expect(waited < Self.latest)
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
            let (answer, elapsed, reused) = try await RawHTTPConnection.with(port: bridge.port) { connection in
                try await connection.write(ProxyChannelTests.streamedMessages(words: 8, bridge: bridge))
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

    @Test func aRequestSentInPiecesWithinTheTimeoutIsAnswered() async throws {
        // A body in pieces 150 ms apart that outlasts the timeout: each piece is progress.
        try await BridgeFixture.with(grant: [.anthropic], clientIdleTimeout: Self.patientTimeout) { bridge in
            let request = ProxyChannelTests.anthropicMessages(model: "claude-test", bridge: bridge)
            let bytes = Array(request.utf8)
            let headEnd = bytes.count - ProxyChannelTests.messages(model: "claude-test").utf8.count
            let started = ContinuousClock.now
            let answers = try await RawHTTPConnection.with(port: bridge.port) { connection in
                try await connection.write(String(decoding: bytes[..<headEnd], as: UTF8.self))
                for start in stride(from: headEnd, to: bytes.count, by: 4) {
                    try await Task.sleep(for: .milliseconds(150))
                    try await connection.write(
                        String(decoding: bytes[start..<min(start + 4, bytes.count)], as: UTF8.self)
                    )
                }
                return try await connection.read(1)
            }
            #expect(ContinuousClock.now - started > .seconds(3), "the body came too fast to outlast the timeout")
            #expect(answers.first?.status == 200)
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
        try await HTTPServerRunner.withRunningServers(
            [
                HTTPServerRunner.Server(
                    router: router,
                    address: .hostname("127.0.0.1", port: 0),
                    server: .byokyHTTP1(clientIdleTimeout: TimeAmount(Self.patientTimeout))
                )
            ],
            logger: .init(label: "test")
        ) { ports in
            let port = ports[0]
            let (closed, waited) = try await RawHTTPConnection.with(port: port) { connection in
                let started = ContinuousClock.now
                return (try await connection.isClosedByServer(), ContinuousClock.now - started)
            }
            #expect(closed)
            #expect(waited >= .seconds(1) && waited < Self.latest)
            let slow = try await RawHTTPConnection.with(port: port) { connection in
                try await connection.write("GET /slow HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n")
                return try await connection.read(1)
            }
            #expect(slow.first?.text == "done")
        }
    }
}
