import NIOCore
import NIOPosix

/// How a server with a maximum of connections treats the one past it.
public enum ConnectionLimitProbe {
    public struct Result: Sendable {
        /// Whether a request on the last connection below the maximum was answered.
        public let answeredBelowMaximum: Bool
        /// How long a request on a connection past the maximum waited for its answer, when one
        /// of the held connections closed a second after it came; `nil` when it never came.
        public let waitedPastMaximum: Duration?
    }

    /// Holds `maximum - 1` silent connections to `127.0.0.1:port`, sends `request` on one more
    /// (answered: the server is not full), then fills the server with a connection it has
    /// answered `fillingRequest` on (by default `request`; it must leave the connection open: a
    /// WebSocket upgrade where a server closes after a plain request), sends `request` on a
    /// connection past the maximum and, a second later, closes one of the held connections.
    public static func probe(
        port: Int,
        maximum: Int,
        request: String,
        fillingRequest: String? = nil
    ) async throws -> Result {
        var held = try await StalledConnection.open(maximum - 1, port: port)
        let answered = try await StalledConnection.answerTime(port: port, request: request, patience: .seconds(5))
        // Answered, so taken by the server before the next connection comes: a server whose
        // accepting runs late on a busy machine takes the connections waiting to be accepted
        // together, the one past the maximum with the last one below it.
        let filling = try await send(request: fillingRequest ?? request, port: port)
        try await filling.answer.get()
        held.append(filling.channel)
        // Sent here, before the wait starts (not from a task a busy machine may start late).
        let started = ContinuousClock.now
        let past = try await send(request: request, port: port)
        try await Task.sleep(for: .seconds(1))
        try await held.removeLast().close()
        let waited = try await withThrowingTaskGroup(of: Duration?.self) { group in
            group.addTask {
                try await past.answer.get()
                return ContinuousClock.now - started
            }
            group.addTask {
                try await Task.sleep(for: .seconds(15))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            return first
        }
        for channel in held + [past.channel] { try? await channel.close() }
        return Result(answeredBelowMaximum: answered != nil, waitedPastMaximum: waited)
    }

    /// A connection to `127.0.0.1:port` with `request` sent on it, and what succeeds when its
    /// answer's first bytes arrive.
    private static func send(
        request: String,
        port: Int
    ) async throws -> (channel: any Channel, answer: EventLoopFuture<Void>) {
        let answer = MultiThreadedEventLoopGroup.singleton.any().makePromise(of: Void.self)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(FirstRead(answer: answer))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: request))
        return (channel, answer.futureResult)
    }

    /// Fulfils `answer` when the first bytes arrive (or fails it when the connection ends first).
    private final class FirstRead: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let answer: EventLoopPromise<Void>

        init(answer: EventLoopPromise<Void>) {
            self.answer = answer
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            answer.succeed()
        }

        func channelInactive(context: ChannelHandlerContext) {
            answer.fail(ChannelError.eof)
            context.fireChannelInactive()
        }
    }
}
