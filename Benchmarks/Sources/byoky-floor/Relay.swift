import NIOCore
import NIOPosix

// `byoky-floor relay`: bytes relayed between a client connection and one upstream connection of
// its own on the same event loop, with no HTTP parsing at all (only the `/anthropic` prefix of a
// request line is cut). What SwiftNIO's event loop and channels cost a request, and nothing else.

/// Passes the upstream's bytes to the client as they come.
final class UpstreamToClient: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let client: ChannelHandlerContext

    /// Whether an answer was written whose `after-request` work is still to run.
    var owesWork = false

    init(client: ChannelHandlerContext) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        BusyWork.configured.run(at: .beforeAnswer)
        client.write(data, promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        client.flush()
        BusyWork.configured.run(at: .afterAnswer)
        owesWork = true
    }
}

/// Passes the client's bytes to its upstream connection, made at the first read.
final class ClientToUpstream: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let upstreamPort: Int
    private var upstream: (any Channel)?
    private var answers: UpstreamToClient?
    private var waiting: [ByteBuffer] = []

    init(upstreamPort: Int) { self.upstreamPort = upstreamPort }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        let prefix = "POST /anthropic/"
        if bytes.readableBytes > prefix.utf8.count,
            bytes.getString(at: bytes.readerIndex, length: prefix.utf8.count) == prefix
        {
            var rewritten = context.channel.allocator.buffer(capacity: bytes.readableBytes)
            rewritten.writeString("POST ")
            bytes.moveReaderIndex(forwardBy: prefix.utf8.count - 1)
            rewritten.writeBuffer(&bytes)
            bytes = rewritten
        }
        if let upstream {
            upstream.writeAndFlush(bytes, promise: nil)
            if let answers, answers.owesWork {
                answers.owesWork = false
                BusyWork.configured.run(at: .afterRequest)
            }
            return
        }
        waiting.append(bytes)
        guard waiting.count == 1 else { return }
        let client = context
        ClientBootstrap(group: context.eventLoop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UpstreamToClient(client: client))
                }
            }
            .connect(host: "127.0.0.1", port: upstreamPort)
            .assumeIsolated()
            .whenSuccess { channel in
                self.upstream = channel
                self.answers = try? channel.pipeline.syncOperations.handler(type: UpstreamToClient.self)
                for bytes in self.waiting { channel.write(bytes, promise: nil) }
                channel.flush()
                self.waiting = []
            }
    }

    func channelInactive(context: ChannelHandlerContext) { upstream?.close(promise: nil) }
}
