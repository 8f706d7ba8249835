public import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A client of a server whose event loop is held up by a long task just as the client's request
/// comes: whether the server's silence timer takes the request waiting in its socket for
/// silence. The server runs on a loop of its own, which only the probe holds; the hold and the
/// request are timed on event loops, not by the test's task.
public enum HeldLoopProbe {
    /// What the client read, and whether the server closed the connection.
    public struct Outcome: Sendable {
        public let text: String
        public let closed: Bool
    }

    /// Serves on a loop of its own (`serving` sets up each connection), connects, and holds the
    /// loop from a quarter of `timeout` after the connection came up for one and a half `timeout`
    /// (over the server's first look at its client's silence), writing `request` at the hold's
    /// start from the client's own loop (nothing when `nil`). Then waits until what was read
    /// `isAnswered`, the server closed the connection, or `patience` passed.
    public static func run(
        timeout: TimeAmount,
        request: String?,
        patience: Duration,
        until isAnswered: @escaping @Sendable (String) -> Bool = { _ in false },
        serving: @escaping @Sendable (any Channel) -> EventLoopFuture<Void>
    ) async throws -> Outcome {
        let serverLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: serverLoop)
            .childChannelInitializer(serving)
            .bind(host: "127.0.0.1", port: 0).get()
        let outcome: Result<Outcome, any Error>
        do {
            guard let port = server.localAddress?.port else { throw FixtureError("the server has no port") }
            outcome = .success(
                try await probe(
                    port: port,
                    loop: serverLoop.next(),
                    timeout: timeout,
                    request: request,
                    patience: patience,
                    until: isAnswered
                )
            )
        } catch {
            outcome = .failure(error)
        }
        try await server.close()
        try await serverLoop.shutdownGracefully()
        return try outcome.get()
    }

    private static func probe(
        port: Int,
        loop: any EventLoop,
        timeout: TimeAmount,
        request: String?,
        patience: Duration,
        until isAnswered: @escaping @Sendable (String) -> Bool
    ) async throws -> Outcome {
        let reader = Reader()
        let clock = ConnectionClock()
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandlers(clock, reader) }
            }
            .connect(host: "127.0.0.1", port: port).get()
        // The connect's future may complete just before the pipeline hears the connection is up.
        let active = clock.activeAt ?? .now
        // The server took the connection within a millisecond or so of the client's start.
        let holdStart =
            NIODeadline.now() - TimeAmount(ContinuousClock.now - active) + .nanoseconds(timeout.nanoseconds / 4)
        let hold = TimeAmount.nanoseconds(timeout.nanoseconds * 3 / 2)
        loop.scheduleTask(deadline: holdStart) {
            if let request { client.writeAndFlush(ByteBuffer(string: request), promise: nil) }
            usleep(UInt32(hold.nanoseconds / 1000))
        }
        let deadline = ContinuousClock.now + patience
        while !isAnswered(reader.text), clock.closedAt == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        let outcome = Outcome(text: reader.text, closed: clock.closedAt != nil)
        try? await client.close()
        return outcome
    }

    /// Everything the client reads.
    private final class Reader: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        private let bytes = Locked<[UInt8]>([])

        var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            bytes.withLock { $0.append(contentsOf: buffer.readableBytesView) }
        }
    }
}
