import NIOCore
import NIOPosix

/// A handler on an upstream connection that passes its answers to one client connection.
protocol ClientAnswering: ChannelInboundHandler {
    init(client: ChannelHandlerContext)
}

/// A client connection's own upstream connection on the same event loop, made at its first
/// request: what is sent before it is connected waits, in order.
final class UpstreamLink<Answers: ClientAnswering> {
    let port: Int
    /// The handler passing the upstream's answers to the client, once connected.
    private(set) var answers: Answers?
    private var channel: (any Channel)?
    private var waiting: [ByteBuffer] = []

    init(port: Int) { self.port = port }

    /// Sends `bytes` upstream for the client at `client`.
    ///
    /// - Returns: Whether they left at once (not while the connection is being made).
    @discardableResult
    func send(_ bytes: ByteBuffer, client: ChannelHandlerContext) -> Bool {
        if let channel {
            channel.writeAndFlush(bytes, promise: nil)
            return true
        }
        waiting.append(bytes)
        guard waiting.count == 1 else { return false }
        ClientBootstrap(group: client.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Answers(client: client))
                }
            }
            .connect(host: "127.0.0.1", port: port)
            .assumeIsolated()
            .whenSuccess { channel in
                self.channel = channel
                self.answers = try? channel.pipeline.syncOperations.handler(type: Answers.self)
                for bytes in self.waiting { channel.write(bytes, promise: nil) }
                channel.flush()
                self.waiting = []
            }
        return false
    }

    func close() { channel?.close(promise: nil) }
}
