import ByokyCore
import NIOCore
import NIOWebSocket

/// Serves one upgraded WebSocket: hands text frames to the hub, answers pings and close frames,
/// pings the client every ``pingInterval`` and closes a connection whose client stopped answering,
/// or stopped reading with more than ``RelayLimits/maximumUnreadOutput`` waiting for it.
///
/// Event-driven on the channel's event loop, with no task per connection: a connection costs
/// little more than its socket, which is what lets one relay hold many thousands.
final class RelayWebSocketHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let hub: RelayHub
    let pingInterval: TimeAmount
    private var peer: RelayPeer?
    private var awaitingPong = false
    private var pinger: RepeatedTask?
    private var isClosing = false

    init(hub: RelayHub, pingInterval: TimeAmount) {
        self.hub = hub
        self.pingInterval = pingInterval
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        let id = SecureRandom.hexToken(byteCount: 8)
        let unreadLimit = hub.limits.maximumUnreadOutput
        peer = RelayPeer(
            id: id,
            send: { text in
                let send: @Sendable () -> Void = {
                    guard channel.isActive else { return }
                    // A peer that does not read what others send it is not kept at any cost.
                    guard channel.unwrittenBytes <= unreadLimit else {
                        channel.close(promise: nil)
                        return
                    }
                    var buffer = channel.allocator.buffer(capacity: text.utf8.count)
                    buffer.writeString(text)
                    channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .text, data: buffer), promise: nil)
                }
                if channel.eventLoop.inEventLoop { send() } else { channel.eventLoop.execute(send) }
            },
            close: {
                channel.eventLoop.execute {
                    var reason = channel.allocator.buffer(capacity: 2)
                    reason.write(webSocketErrorCode: .normalClosure)
                    channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: reason))
                        .whenComplete { _ in channel.close(promise: nil) }
                }
            }
        )
        hub.metrics.connectionOpened()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let contextBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        pinger = context.eventLoop.scheduleRepeatedTask(initialDelay: pingInterval, delay: pingInterval) { _ in
            loopBound.value.ping(context: contextBound.value)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        pinger?.cancel()
        pinger = nil
        if let peer {
            hub.leave(peer)
            hub.metrics.connectionClosed()
        }
        peer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        pinger?.cancel()
        if let peer {
            hub.leave(peer)
            hub.metrics.connectionClosed()
            self.peer = nil
        }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            guard let peer else { return }
            var data = frame.unmaskedData
            let text = data.readString(length: data.readableBytes) ?? ""
            hub.receive(text, from: peer)
        case .ping:
            guard !isClosing else { return }
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .pong:
            awaitingPong = false
        case .connectionClose:
            // Answer the client's close and end the connection.
            guard !isClosing else {
                context.close(promise: nil)
                return
            }
            isClosing = true
            var data = frame.unmaskedData
            let code = data.readSlice(length: 2) ?? context.channel.allocator.buffer(capacity: 0)
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, data: code)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
        default:
            // Binary frames carry nothing in this protocol.
            return
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    /// Sends a ping, or closes the connection when the previous one went unanswered.
    private func ping(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        if awaitingPong {
            context.close(promise: nil)
            return
        }
        awaitingPong = true
        let ping = WebSocketFrame(fin: true, opcode: .ping, data: context.channel.allocator.buffer(capacity: 0))
        context.writeAndFlush(wrapOutboundOut(ping), promise: nil)
    }
}
