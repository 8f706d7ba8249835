import ByokyCore
import NIOCore
import NIOHTTPTypes

/// Closes a Hummingbird HTTP/1.1 connection that waits on its client for `timeout` with no
/// request part arriving: idle between requests, or a head or body that stalls (a head sent a
/// byte at a time counts as nothing until it is whole). One whose answer is being made or
/// written is never closed for it. A look that ran late, after the event loop was held up,
/// looks again before it closes: the client's request may be waiting in the socket
/// (``ClientSilenceTimer``); Hummingbird's own idle timeout would close it.
///
/// Add it after the HTTP codecs, before Hummingbird's connection-state handler.
final class ClientIdleHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let silenceTimer: ClientSilenceTimer
    /// Requests whose head came and whose answer has not ended.
    private var requestsInProgress = 0
    /// Whether a request's head came and its end has not.
    private var isRequestBeingRead = false

    init(timeout: TimeAmount) {
        silenceTimer = ClientSilenceTimer(timeout: timeout)
    }

    /// Between requests, or in the middle of reading one.
    private var isWaitingOnClient: Bool { requestsInProgress == 0 || isRequestBeingRead }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        silenceTimer.stop()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        silenceTimer.stop()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        silenceTimer.noteProgress()
        switch unwrapInboundIn(data) {
        case .head:
            requestsInProgress += 1
            isRequestBeingRead = true
        case .body:
            break
        case .end:
            isRequestBeingRead = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInProgress = max(0, requestsInProgress - 1)
            silenceTimer.noteProgress()
        }
        context.write(data, promise: promise)
    }

    private func start(context: ChannelHandlerContext) {
        // The timer holds the handler until it stops (when the connection closes).
        silenceTimer.start(on: context.eventLoop) {
            self.isWaitingOnClient
        } close: {
            context.close(promise: nil)
        }
    }
}
