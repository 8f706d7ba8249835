import ByokyCore
import ByokyHTTPServer
import ByokyProxyHTTP
import ByokyTesting
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Testing

/// A client idle timeout counts the client's silence, not the server's: a request that came
/// while a long task held the connection's event loop up is answered when the loop comes back,
/// not taken for silence (the loop runs the timers that fell due before it reads the sockets
/// that filled meanwhile), on the bridge's (and the vault's) channel and on the routed servers'
/// (the wallet's control socket, the marketplace). A client silent through the hold is still
/// closed. (The relay's side: RelayServerTests.)
@Suite(.timeLimit(.minutes(1)))
struct ProxyHeldLoopTests {
    static let timeout = TimeAmount.seconds(1)
    static let logger = Logger(label: "held-loop")

    enum Server: CaseIterable {
        case bridge, routed

        /// The request the client sends, and a server's connection setup answering it with a 200.
        var request: String {
            switch self {
            case .bridge: "POST /anthropic/v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 2\r\n\r\n{}"
            case .routed: "GET /ping HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n"
            }
        }

        func serve(_ channel: any Channel) -> EventLoopFuture<Void> {
            switch self {
            case .bridge:
                var route = ProxyRoute(bodyLimit: 1024, provider: ProxyRoute.provider(named:)) { _, _, _, _ in
                    .response(Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "answered"))))
                }
                route.clientIdleTimeout = ProxyHeldLoopTests.timeout
                return Self.serve(channel, with: ProxyHTTP1Channel(responder: { _, _, _ in }, route: route))
            case .routed:
                let child = HTTPServerBuilder.byokyHTTP1Channel(
                    responder: { _, writer, _ in
                        try await writer.write(
                            response: .init(status: .ok),
                            body: ResponseBody(byteBuffer: ByteBuffer(string: "answered"))
                        )
                    },
                    clientIdleTimeout: ProxyHeldLoopTests.timeout
                )
                return Self.serve(channel, with: child)
            }
        }

        private static func serve<Child: ServerChildChannel>(
            _ channel: any Channel,
            with child: Child
        ) -> EventLoopFuture<Void> {
            child.setup(channel: channel, logger: ProxyHeldLoopTests.logger).map { value in
                Task { await child.handle(value: value, logger: ProxyHeldLoopTests.logger) }
            }
        }
    }

    @Test(arguments: Server.allCases)
    func aRequestThatCameWhileTheLoopWasHeldIsAnswered(_ server: Server) async throws {
        let outcome = try await HeldLoopProbe.run(
            timeout: Self.timeout,
            request: server.request,
            patience: .seconds(10),
            until: { $0.contains("answered") },
            serving: server.serve
        )
        #expect(
            outcome.text.hasPrefix("HTTP/1.1 200"),
            outcome.closed ? "the connection was closed with the request in its socket" : "no answer in 10 s"
        )
    }

    @Test(arguments: Server.allCases)
    func aClientSilentThroughAHoldIsClosed(_ server: Server) async throws {
        let outcome = try await HeldLoopProbe.run(
            timeout: Self.timeout,
            request: nil,
            patience: .seconds(10),
            serving: server.serve
        )
        #expect(outcome.closed)
        #expect(outcome.text.isEmpty)
    }
}
