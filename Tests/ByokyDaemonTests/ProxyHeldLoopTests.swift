import ByokyCore
import ByokyProxyHTTP
import ByokyTesting
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The client idle timeout counts the client's silence, not the server's: a request that came
/// while a long task held the connection's event loop up is answered when the loop comes back,
/// not taken for silence (the loop runs the timers that fell due before it reads the sockets
/// that filled meanwhile). The server has a loop of its own, which only these tests hold; the
/// holds and the client's writes are timed on event loops, not by the test's task.
@Suite(.timeLimit(.minutes(1)))
struct ProxyHeldLoopTests {
    static let timeout = TimeAmount.seconds(1)
    static let request =
        "POST /anthropic/v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 2\r\n\r\n{}"

    /// Everything a client connection reads.
    final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let bytes = Locked<[UInt8]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        }

        /// Answers read so far.
        var answers: Int {
            bytes.withLock { String(decoding: $0, as: UTF8.self).components(separatedBy: "HTTP/1.1 200").count - 1 }
        }
    }

    /// Runs `body` with a connection to a server whose provider route answers every request
    /// with a 200, on an event loop of its own: the loop, the client's channel, its reads and
    /// its clock.
    static func withConnection(
        _ body: (any EventLoop, any Channel, Collector, ConnectionClock) async throws -> Void
    ) async throws {
        var route = ProxyRoute(bodyLimit: 1024, provider: ProxyRoute.provider(named:)) { _, _, _, _ in
            .response(Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "answered"))))
        }
        route.clientIdleTimeout = timeout
        let serverChannel = ProxyHTTP1Channel(responder: { _, _, _ in }, route: route)
        let logger = Logger(label: "held-loop")
        let serverLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: serverLoop)
            .childChannelInitializer { channel in
                serverChannel.setup(channel: channel, logger: logger).map { value in
                    Task { await serverChannel.handle(value: value, logger: logger) }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let collector = Collector()
        let clock = ConnectionClock()
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(clock, collector)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        var failure: (any Error)?
        do {
            try await body(serverLoop.next(), client, collector, clock)
        } catch {
            failure = error
        }
        try? await client.close()
        try await server.close()
        try await serverLoop.shutdownGracefully()
        if let failure { throw failure }
    }

    /// Waits (at most `limit`) until `condition` holds.
    static func eventually(within limit: Duration, _ condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return condition()
    }

    /// Holds `loop` for `hold` from `start`, first writing `request` (unless `nil`) from the
    /// client's own loop, which is not held: the request waits in the server's socket.
    static func hold(
        _ loop: any EventLoop,
        from start: NIODeadline,
        for hold: TimeAmount,
        sending request: String?,
        on client: any Channel
    ) {
        loop.scheduleTask(deadline: start) {
            if let request { client.writeAndFlush(ByteBuffer(string: request), promise: nil) }
            usleep(UInt32(hold.nanoseconds / 1000))
        }
    }

    /// One request answered, a check that sees it, then a hold over the next check with the
    /// second request sent at its start: the late check must not take the waiting request for
    /// silence.
    @Test func aRequestThatCameWhileTheLoopWasHeldIsAnswered() async throws {
        try await Self.withConnection { loop, client, collector, clock in
            try await client.writeAndFlush(ByteBuffer(string: Self.request))
            #expect(try await Self.eventually(within: .seconds(5)) { collector.answers == 1 })
            // The server's checks fall about every timeout from its connection's start (the
            // client's is within a millisecond of it): the first sees the answer; the hold spans
            // the second, which finds nothing new read.
            let active = NIODeadline.now() - TimeAmount(ContinuousClock.now - (try #require(clock.activeAt)))
            Self.hold(
                loop,
                from: active + Self.timeout + .milliseconds(250),
                for: .milliseconds(1500),
                sending: Self.request,
                on: client
            )
            #expect(try await Self.eventually(within: .seconds(10)) { collector.answers == 2 || clock.closedAt != nil })
            #expect(collector.answers == 2, "the connection was closed with the request waiting in its socket")
            #expect(clock.closedAt == nil)
        }
    }

    /// A client that really is silent through a hold is still closed soon after it.
    @Test func aClientSilentThroughAHoldIsClosed() async throws {
        try await Self.withConnection { loop, client, collector, clock in
            try await client.writeAndFlush(ByteBuffer(string: Self.request))
            #expect(try await Self.eventually(within: .seconds(5)) { collector.answers == 1 })
            let holdStart = NIODeadline.now() + Self.timeout
            Self.hold(loop, from: holdStart, for: .milliseconds(1500), sending: nil, on: client)
            #expect(try await Self.eventually(within: .seconds(15)) { clock.closedAt != nil })
            #expect(collector.answers == 1)
        }
    }
}
