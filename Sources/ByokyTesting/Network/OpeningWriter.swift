public import NIOCore

/// Writes a client's first bytes the moment its connection is up, from the connection's event
/// loop. A test that writes them from its own task instead may be held up past a server's idle
/// timeout on a busy machine (two threads shared by a hundred tests), and then the server is right
/// to close a connection the test meant to be talking: a timing test must not depend on when its
/// task runs. Add it in the connect's channel initializer, before the connection is wrapped.
public final class OpeningWriter: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private var opening: [UInt8]?

    /// Writes `opening` once the connection is up; nothing when it is empty.
    public init(_ opening: [UInt8]) {
        self.opening = opening.isEmpty ? nil : opening
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { write(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        write(context: context)
        context.fireChannelActive()
    }

    private func write(context: ChannelHandlerContext) {
        guard let opening else { return }
        self.opening = nil
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: opening)), promise: nil)
    }
}
