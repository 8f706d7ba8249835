public import NIOCore

/// Closes a connection whose client sends nothing for `timeout`: between one and two times
/// `timeout` after the last bytes came. For a connection that always waits on its client (the
/// relay's, until a WebSocket upgrade removes the handler); a look that ran late, after the
/// event loop was held up, looks again before it closes (``ClientSilenceTimer``), where NIO's
/// `IdleStateHandler` would take bytes waiting in the socket for silence.
///
/// Add it near the socket: it counts every read.
public final class SilentClientHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = NIOAny
    public typealias InboundOut = NIOAny

    private let silenceTimer: ClientSilenceTimer

    /// A handler closing a connection whose client is silent for `timeout`.
    public init(timeout: TimeAmount) {
        silenceTimer = ClientSilenceTimer(timeout: timeout)
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        silenceTimer.stop()
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        silenceTimer.stop()
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        silenceTimer.noteProgress()
        context.fireChannelRead(data)
    }

    private func start(context: ChannelHandlerContext) {
        // The timer holds the handler until it stops (when the connection closes or the
        // handler leaves it).
        silenceTimer.start(on: context.eventLoop) {
            true
        } close: {
            context.close(promise: nil)
        }
    }
}
