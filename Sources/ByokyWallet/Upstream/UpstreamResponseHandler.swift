import ByokyCore
import NIOCore
import NIOHTTP1

/// The last handler of an upstream connection: sends one request at a time (through the
/// connection's ``UpstreamWire``) and hands the response's head, body chunks and end to the
/// waiting proxy request.
///
/// It also gates socket reads (a paused body stops reading until its reader catches up) and ends
/// a request whose provider went silent (an `IdleStateHandler` read event).
final class UpstreamResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// The request in flight.
    private struct Exchange {
        var head: EventLoopPromise<HTTPResponseHead>?
        var body: UpstreamBody?
        var keepAlive = true
    }

    private var exchange: Exchange?
    private var readPaused = false
    private var readPending = false
    /// Called on the event loop when a response ended and the connection can take another request.
    var onIdle: (() -> Void)?
    private let wire: UpstreamWire
    /// The connection's response decoder, told each request's method as NIO's encoder would
    /// have told it (the answer to a `HEAD` has no body).
    private let decoder: HTTPResponseDecoder

    init(wire: UpstreamWire, decoder: HTTPResponseDecoder) {
        self.wire = wire
        self.decoder = decoder
    }

    /// Sends a request; `head` gets the response head, `response` the body that follows.
    func start(
        _ request: UpstreamRequest,
        head: EventLoopPromise<HTTPResponseHead>,
        response: UpstreamBody,
        context: ChannelHandlerContext
    ) {
        exchange = Exchange(head: head, body: response)
        decoder.write(data: .head(HTTPRequestHead(version: .http1_1, method: request.method, uri: "")))
        guard wire.send(request) else { return fail(.connectionClosed) }
    }

    /// Reads again after the body's reader drained it.
    func resumeReading(context: ChannelHandlerContext) {
        readPaused = false
        if readPending {
            readPending = false
            context.read()
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard exchange != nil else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            // Informational answers (100 Continue) come before the real one.
            guard head.status.code >= 200 || head.status.code == 101 else { return }
            exchange?.keepAlive = head.isKeepAlive
            let isChunked = head.headers.contains { name, value in
                HeaderText.name(name, is: "transfer-encoding") && value.lowercased().contains("chunked")
            }
            exchange?.body?.declare(
                length: isChunked ? nil : head.headers.first(name: "content-length").flatMap(Int.init)
            )
            let promise = exchange?.head
            exchange?.head = nil
            promise?.succeed(head)
        case .body(let chunk):
            if exchange?.body?.append(chunk) == true { readPaused = true }
        case .end:
            let finished = exchange
            exchange = nil
            // Back in the pool before the body's reader hears of the end: a caller that sends its
            // next request at once, from another thread, finds this connection idle.
            if finished?.keepAlive == true, context.channel.isActive {
                onIdle?()
            } else {
                context.close(promise: nil)
            }
            finished?.body?.finish()
        }
    }

    func read(context: ChannelHandlerContext) {
        if readPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Silence counts only in the middle of an answer: waiting for the head has its own limit.
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, let current = exchange,
            current.head == nil, !readPaused
        {
            fail(UpstreamError.idleTimeout)
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(UpstreamError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(UpstreamError.connectionClosed)
        context.close(promise: nil)
    }

    /// Fails the request in flight, if any.
    func fail(_ error: UpstreamError) {
        guard let failed = exchange else { return }
        exchange = nil
        failed.head?.fail(error)
        failed.body?.finish(error)
    }
}
