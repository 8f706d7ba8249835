import NIOCore

/// The first handler of an upstream connection (after TLS): requests, serialized already
/// (``UpstreamRequest``), are written from its context, so they go to the socket without passing
/// the response decoder or NIO's request encoder.
final class UpstreamWire: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes `request` and flushes; on the channel's event loop. Whether the connection could
    /// take it (false once the handler is gone).
    func send(_ request: UpstreamRequest) -> Bool {
        guard let context else { return false }
        if let body = request.body {
            context.write(wrapOutboundOut(.byteBuffer(request.head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(body)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(request.head)), promise: nil)
        }
        return true
    }
}
