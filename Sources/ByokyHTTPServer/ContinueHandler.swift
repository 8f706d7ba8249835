import ByokyCore
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers a request head that carries `Expect: 100-continue` with an interim `100 Continue`
/// (``ContinueExpectation``), which Hummingbird does not send: the client then sends its body at
/// once instead of after its own wait. A client that pipelines may send the head while an
/// earlier answer is still being written: its interim answer then waits until that answer has
/// ended, so it never cuts into it.
///
/// The conversion to `HTTPTypes` drops the request's version, so an HTTP/1.0 client that asks to
/// continue (RFC 9110 says to ignore that; no client sends it) is told to as well.
///
/// Add it right after the conversion to `HTTPTypes`, ahead of ``ClientIdleHandler``.
final class ContinueHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Request heads received, and answers whose end has gone out.
    private var requestsReceived = 0
    private var answersEnded = 0
    /// The requests (by their number on the connection) that asked to continue behind an answer
    /// still being written, oldest first.
    private var waiting = CircularBuffer<Int>()

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let request) = unwrapInboundIn(data) {
            let number = requestsReceived
            requestsReceived += 1
            if let expect = request.headerFields[.expect], ContinueExpectation.isAsked(byExpectValue: expect) {
                if number == answersEnded {
                    context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
                } else {
                    waiting.append(number)
                }
            }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        guard case .end = unwrapOutboundIn(data) else { return }
        answersEnded += 1
        // The request whose turn it is now, told to continue right after the answer before it.
        if waiting.first == answersEnded {
            waiting.removeFirst()
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
    }
}
