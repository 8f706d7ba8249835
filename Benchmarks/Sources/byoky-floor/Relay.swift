import NIOCore
import NIOPosix

// `byoky-floor relay`: bytes relayed between a client connection and one upstream connection of
// its own on the same event loop, with no HTTP parsing at all (only the `/anthropic` prefix of a
// request line is cut). What SwiftNIO's event loop and channels cost a request, and nothing else.

/// Passes the upstream's bytes to the client as they come.
final class UpstreamToClient: ClientAnswering {
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
    private let upstream: UpstreamLink<UpstreamToClient>

    init(upstreamPort: Int) { upstream = UpstreamLink(port: upstreamPort) }

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
        if upstream.send(bytes, client: context), let answers = upstream.answers, answers.owesWork {
            answers.owesWork = false
            BusyWork.configured.run(at: .afterRequest)
        }
    }

    func channelInactive(context: ChannelHandlerContext) { upstream.close() }
}
