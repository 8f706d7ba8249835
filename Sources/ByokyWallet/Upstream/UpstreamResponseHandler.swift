import ByokyCore
import NIOCore
import NIOHTTP1

/// The last handler of an upstream connection: sends one request at a time (through the
/// connection's ``UpstreamWire``), reads the answer from the socket's bytes
/// (``UpstreamResponseParser``) and hands its head, body chunks and end to the waiting proxy
/// request.
///
/// It also gates socket reads (a paused body stops reading until its reader catches up) and ends
/// a request whose provider went silent (an `IdleStateHandler` read event).
final class UpstreamResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Never
    typealias OutboundOut = Never

    /// Hears how a request's head ended: the head, or why there is none.
    typealias HeadReceiver = (Result<UpstreamResponseParser.Head, any Error>) -> Void

    /// The request in flight.
    private struct Exchange {
        var head: HeadReceiver?
        var body: UpstreamBody?
    }

    private var exchange: Exchange?
    private var parser = UpstreamResponseParser()
    /// Bytes of an answer that did not make a whole part yet (a head or chunk line cut by a read).
    private var leftover: ByteBuffer?
    private var readPaused = false
    private var readPending = false
    /// Called on the event loop when a response ended and the connection can take another request.
    var onIdle: (() -> Void)?
    private let wire: UpstreamWire

    init(wire: UpstreamWire) {
        self.wire = wire
    }

    /// Sends a request; `head` hears the response head (once), `response` gets the body that follows.
    func start(
        _ request: UpstreamRequest,
        head: @escaping HeadReceiver,
        response: UpstreamBody,
        context: ChannelHandlerContext
    ) {
        exchange = Exchange(head: head, body: response)
        parser.expectAnswer(toHEAD: request.method == .HEAD)
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
        var bytes = unwrapInboundIn(data)
        if var kept = leftover {
            leftover = nil
            kept.writeBuffer(&bytes)
            bytes = kept
        }
        do {
            while let event = try parser.next(&bytes) {
                handle(event, context: context)
                guard context.channel.isActive else { return }
            }
        } catch {
            // Bytes that are not an answer (or come unasked): the connection is done.
            fail(.connectionClosed)
            context.close(promise: nil)
            return
        }
        if bytes.readableBytes > 0 { leftover = bytes }
    }

    private func handle(_ event: UpstreamResponseParser.Event, context: ChannelHandlerContext) {
        switch event {
        case .head(let head):
            exchange?.body?.declare(length: head.contentLength)
            let receiver = exchange?.head
            exchange?.head = nil
            receiver?(.success(head))
        case .body(let chunk):
            if exchange?.body?.append(chunk) == true { readPaused = true }
        case .end(let keepAlive):
            let finished = exchange
            exchange = nil
            // Back in the pool before the body's reader hears of the end: a caller that sends its
            // next request at once, from another thread, finds this connection idle.
            if keepAlive, context.channel.isActive {
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
        // An answer without a declared length ends when the connection closes.
        if let end = try? parser.inputClosed() { handle(end, context: context) }
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
        failed.head?(.failure(error))
        failed.body?.finish(error)
    }
}
