import ByokyCore
import ByokyHTTPServer
import ByokyTesting
import Hummingbird
import NIOCore
import Testing

/// A client that sends `Expect: 100-continue` (curl for bodies over 1 MiB, clients on older
/// libcurl over 1 KiB) waits for `100 Continue` before its body: every server answers it at
/// once, on the bridge's provider route, its router, and Hummingbird's channel (the marketplace,
/// the control socket), in turn behind an answer still being written, and never to HTTP/1.0.
/// Before, the client waited a second (curl's patience) on every such request.
@Suite(.timeLimit(.minutes(1)))
struct ContinueExpectationTests {
    /// A head asking to continue, for a body of `length` bytes sent after it.
    static func expectingHead(
        _ path: String,
        method: String = "POST",
        port: Int,
        length: Int,
        expect: String = "100-continue",
        version: String = "1.1",
        headers: [(String, String)] = []
    ) -> String {
        var text = "\(method) \(path) HTTP/\(version)\r\nhost: 127.0.0.1:\(port)\r\nexpect: \(expect)\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        return text + "content-type: application/json\r\ncontent-length: \(length)\r\n\r\n"
    }

    /// Sends `head`, reads the interim answer before any body byte is sent, then sends `body`
    /// and reads the final answer.
    static func continued(
        port: Int,
        head: String,
        body: String
    ) async throws -> (
        interim: RawHTTPConnection.Response?, final: RawHTTPConnection.Response?
    ) {
        try await RawHTTPConnection.with(port: port, opening: head) { connection in
            let interim = try await connection.read(1).first
            try await connection.write(body)
            return (interim, try await connection.read(1).first)
        }
    }

    @Test func theBridgesProviderRouteAndRouterAnswerItAtOnce() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let body = ProxyChannelTests.messages(model: "mock-words-3")
            // Any letter case asks the same.
            for expect in ["100-continue", "100-Continue"] {
                let provider = try await Self.continued(
                    port: bridge.port,
                    head: Self.expectingHead(
                        "/anthropic/v1/messages",
                        port: bridge.port,
                        length: body.utf8.count,
                        expect: expect,
                        headers: [bridge.authHeader(for: .anthropic)]
                    ),
                    body: body
                )
                #expect(provider.interim?.status == 100)
                #expect(provider.final?.status == 200)
                #expect(provider.final?.text.contains(#""type":"message""#) == true)
            }
            // A route of the router (the wallet API), whose answer the same handler writes.
            let connect = #"{"appName":"Continue","providers":[{"id":"anthropic","required":true}]}"#
            let routed = try await Self.continued(
                port: bridge.port,
                head: Self.expectingHead("/v1/connect", port: bridge.port, length: connect.utf8.count),
                body: connect
            )
            #expect(routed.interim?.status == 100)
            #expect(routed.final.map { $0.status >= 200 } == true)
            #expect(bridge.upstreamRequests.withLock { $0.count } == 2)
        }
    }

    @Test func onTheBridgeItWaitsItsTurnBehindAnAnswerBeingWritten() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let key = bridge.authHeader(for: .anthropic)
            let body = ProxyChannelTests.messages(model: "mock-words-2")
            // A streamed answer first, then (in the same write) a head that asks to continue.
            let opening =
                ProxyChannelTests.streamedMessages(words: 40, bridge: bridge)
                + Self.expectingHead(
                    "/anthropic/v1/messages",
                    port: bridge.port,
                    length: body.utf8.count,
                    headers: [key]
                )
            let answers = try await RawHTTPConnection.with(port: bridge.port, opening: opening) { connection in
                let first = try await connection.read(2)
                try await connection.write(body)
                return first + (try await connection.read(1))
            }
            try #require(answers.count == 3)
            #expect(answers[0].status == 200)
            #expect(answers[0].text.hasSuffix(ProxyChannelTests.streamEnd), "the stream was cut into")
            #expect(answers[1].status == 100)
            #expect(answers[2].status == 200)
            #expect(answers[2].text.contains(#""type":"message""#))
        }
    }

    @Test func anHTTP10RequestIsNotToldToContinue() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let body = ProxyChannelTests.messages(model: "mock-words-2")
            let head = Self.expectingHead(
                "/anthropic/v1/messages",
                port: bridge.port,
                length: body.utf8.count,
                version: "1.0",
                headers: [bridge.authHeader(for: .anthropic)]
            )
            let answers = try await RawHTTPConnection.with(port: bridge.port, opening: head + body) { connection in
                try await connection.read(1)
            }
            #expect(answers.map(\.status) == [200])
        }
    }

    /// A body declared over the limit is refused instead: the client is never told to send it,
    /// hears the refusal at once (in its provider's format) and that the connection closes, since
    /// it may send the body anyway; nothing reaches the provider.
    @Test func aBodyDeclaredOverTheLimitIsRefusedInsteadOfContinued() async throws {
        try await BridgeFixture.with(grant: [.anthropic, .openai], maximumRequestBodySize: 4096) { bridge in
            for (path, provider, errorType) in [
                ("/anthropic/v1/messages", ProviderID.anthropic, "request_too_large"),
                ("/openai/v1/chat/completions", ProviderID.openai, "invalid_request_error"),
            ] {
                let head = Self.expectingHead(
                    path,
                    port: bridge.port,
                    length: 4097,
                    headers: [bridge.authHeader(for: provider)]
                )
                let (answers, isClosed) = try await RawHTTPConnection.with(port: bridge.port, opening: head) {
                    connection in
                    (try await connection.read(1), try await connection.isClosedByServer())
                }
                #expect(answers.map(\.status) == [413], "\(path)")
                #expect(answers.first?.text.contains(errorType) == true, "\(path)")
                #expect(answers.first?.header("connection") == "close", "\(path)")
                #expect(isClosed, "\(path)")
            }
            // At the limit it is told to continue, as before.
            let body = String(repeating: "x", count: 4096)
            let atLimit = try await Self.continued(
                port: bridge.port,
                head: Self.expectingHead(
                    "/anthropic/v1/messages",
                    port: bridge.port,
                    length: body.utf8.count,
                    headers: [bridge.authHeader(for: .anthropic)]
                ),
                body: body
            )
            #expect(atLimit.interim?.status == 100)
            #expect(bridge.upstreamRequests.withLock { $0.count } == 1)
        }
    }

    @Test func hummingbirdsChannelAnswersItAtOnceAndInTurn() async throws {
        let router = Router()
        router.post("/echo") { request, _ -> ByteBuffer in
            try await request.body.collect(upTo: 1024 * 1024)
        }
        router.get("/slow") { _, _ -> String in
            try await Task.sleep(for: .milliseconds(300))
            return "slow"
        }
        try await ClientIdleTimeoutTests.withRoutedServer(router, clientIdleTimeout: .seconds(30)) { port in
            let echoed = try await Self.continued(
                port: port,
                head: Self.expectingHead("/echo", port: port, length: 11),
                body: "hello there"
            )
            #expect(echoed.interim?.status == 100)
            #expect(echoed.final?.status == 200)
            #expect(echoed.final?.text == "hello there")
            // Behind a slow answer, the interim one waits for it.
            let opening =
                "GET /slow HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n" + Self.expectingHead("/echo", port: port, length: 5)
            let answers = try await RawHTTPConnection.with(port: port, opening: opening) { connection in
                let first = try await connection.read(2)
                try await connection.write("again")
                return first + (try await connection.read(1))
            }
            #expect(answers.map(\.status) == [200, 100, 200])
            #expect(answers.first?.text == "slow")
            #expect(answers.last?.text == "again")
        }
    }
}
