import ByokyCore
import ByokyWallet
import Hummingbird
import NIOCore
import NIOHTTP1

/// Answers a ``ProxyRoute``'s requests on the connection's channel, ahead of the router: their
/// parts are read here, as the HTTP/1.1 decoder makes them, the route's answer is made in one
/// task and written, serialized here, to the socket. Every other request passes on unchanged, to
/// the conversion to `HTTPTypes`, the connection-state handler and the router; the router's
/// answers come back through here to be serialized (``HTTP1ResponseEncoder``, which is why this
/// handler knows each request's method: the answer to a `HEAD` has no body).
///
/// Requests are answered one at a time, in the order they came: parts that arrive while an
/// answer is being written (a client that pipelines) wait here, with reads paused, until it ends.
/// The server's shutdown (a quiesce event) closes the connection once an answer of ours is
/// written; between requests, or during the router's, the connection-state handler sees to it.
///
/// A connection that waits on its client past the route's ``ProxyRoute/clientIdleTimeout`` with
/// no request part arriving (idle between requests, or a head or body that stalls) is closed here,
/// for the router's requests too: a client that opens connections and sends nothing, or a head a
/// byte at a time, cannot hold them (and the server's file descriptors) forever.
final class ProxyRouteHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = IOData

    private enum State {
        /// Between requests.
        case idle
        /// A request for the router: `read` once its end has passed on, `answered` once the
        /// router has written its answer's end.
        case routed(read: Bool, answered: Bool)
        /// A route's request whose body is being read.
        case reading(ProxyRequestHead, Provider, body: ByteBuffer?)
        /// A refusal of a body over the limit, written while the rest of that body is read and
        /// dropped (a client still sending would otherwise see a reset, not the refusal):
        /// `answered` once it is written, `droppable` the bytes it may still send before the
        /// connection is cut off.
        case refusing(answered: Bool, droppable: Int)
        /// A route's answer being written.
        case answering
        case closed
    }

    private let route: ProxyRoute
    /// Makes and writes the route's answers, in one task for the connection.
    private let worker = AnswerWorker()
    private var state = State.idle
    private var encoder = HTTP1ResponseEncoder()
    /// The method of the request the router is answering.
    private var routedMethod = HTTPMethod.GET
    /// Parts that came while the connection was busy with an earlier request.
    private var held = CircularBuffer<HTTPServerRequestPart>()
    /// An error that came while parts were held; passed on after them.
    private var heldError: (any Error)?
    /// Whether a part was passed on to the router since the last read's end went on.
    private var isReadPassedOn = false
    /// Whether a read was asked for while parts were held.
    private var isReadPending = false
    /// Whether the client closed its side while an answer of ours was due: passed on after it,
    /// or the router's channel, idle as far as it knows, would close the connection's output.
    private var isInputClosedHeld = false
    /// Whether a flush of an answer's chunks is queued on the event loop.
    private var isFlushScheduled = false
    /// How many answers of the route's have begun: a writer knows the answer it is for.
    private var answersBegun = 0
    /// The last answer whose request's task took over writing it (``claimAnswer(_:)``), and the
    /// last one written early, from the provider connection's read (``noteWrittenEarly(_:)``).
    private var answerClaimed = 0
    private var answerWrittenEarly = 0
    /// Whether the server is shutting down: the connection closes once the answer due is written.
    private var isQuiescing = false
    /// Whether the connection closes once the answer due is written: its client sent more of a
    /// refused body than it may before the refusal went out.
    private var isCutOffAfterAnswer = false
    /// Closes the connection when it waits on its silent client past the route's client idle
    /// timeout (request parts received and answers ended are its progress); `nil` without one.
    private let silenceTimer: ClientSilenceTimer?

    init(route: ProxyRoute) {
        self.route = route
        self.silenceTimer = route.clientIdleTimeout.map(ClientSilenceTimer.init(timeout:))
    }

    /// Whether a new request must wait.
    private var isBusy: Bool {
        switch state {
        case .idle, .reading, .routed(read: false, _), .refusing: false
        case .routed(read: true, _), .answering, .closed: true
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        silenceTimer?.noteProgress()
        if isBusy || !held.isEmpty {
            held.append(part)
        } else {
            receive(part, context: context)
        }
    }

    /// Passes a part of the router's request on.
    private func passOn(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        isReadPassedOn = true
        context.fireChannelRead(wrapInboundOut(part))
    }

    /// A read's end goes on only when a part of it did: the router's handlers have nothing to
    /// do with a read of the route's own.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard isReadPassedOn else { return }
        isReadPassedOn = false
        context.fireChannelReadComplete()
    }

    private func receive(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch (state, part) {
        case (.idle, .head(let head)):
            encoder.isAnsweringHTTP10 = head.version.minor == 0
            let asksToContinue = ContinueExpectation.isAsked(minorVersion: head.version.minor, fields: head.headers)
            let proxyHead = ProxyRequestHead(head)
            let provider = route.provider(proxyHead)
            if let provider, let declared = proxyHead.declaredBodyLength, declared > route.bodyLimit {
                return refuseAtOnce(
                    proxyHead,
                    declaredLength: declared,
                    for: provider,
                    sendsBody: !asksToContinue,
                    context: context
                )
            }
            // Written here, where the request's turn has come: an earlier answer is not cut into.
            if asksToContinue {
                context.writeAndFlush(
                    wrapOutboundOut(.byteBuffer(ByteBuffer(staticString: ContinueExpectation.interimAnswer))),
                    promise: nil
                )
            }
            if let provider {
                state = .reading(proxyHead, provider, body: nil)
            } else {
                state = .routed(read: false, answered: false)
                routedMethod = head.method
                passOn(part, context: context)
            }
        case (.routed(read: false, let answered), _):
            guard case .end = part else {
                passOn(part, context: context)
                return
            }
            state = .routed(read: true, answered: answered)
            passOn(part, context: context)
            if answered, case .routed(read: true, answered: true) = state { becomeIdle(context: context) }
        case (.reading(let head, let provider, var body), .body(var chunk)):
            // The state lets go of the body first, so appending to it does not copy it.
            state = .answering
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
            guard body!.readableBytes <= route.bodyLimit else {
                // A client that goes on sending as much again after the refusal is cut off.
                state = .refusing(answered: false, droppable: route.bodyLimit)
                refuse(head, for: provider, closingAfter: false, context: context)
                return
            }
            state = .reading(head, provider, body: body)
        case (.refusing(let answered, let droppable), .body(let chunk)):
            guard chunk.readableBytes <= droppable else {
                // Cut off, once the refusal is out: a reset before it would hide it.
                if answered {
                    state = .closed
                    context.close(promise: nil)
                } else {
                    state = .answering
                    isCutOffAfterAnswer = true
                }
                return
            }
            state = .refusing(answered: answered, droppable: droppable - chunk.readableBytes)
        case (.refusing(let answered, _), .end):
            if answered {
                // A refusal that said the connection closes is kept to.
                if isCutOffAfterAnswer {
                    state = .closed
                    context.close(promise: nil)
                } else {
                    becomeIdle(context: context)
                }
            } else {
                state = .answering
            }
        case (.reading(let head, let provider, let body), .end):
            state = .answering
            answer(head, for: provider, body: body ?? ByteBuffer(), context: context)
        case (.idle, _), (.reading, .head), (.refusing, .head):
            // Parts out of order (the decoder never makes these): the router refuses them.
            state = .routed(read: true, answered: false)
            if case .head(let head) = part {
                routedMethod = head.method
                encoder.isAnsweringHTTP10 = head.version.minor == 0
            }
            passOn(part, context: context)
        case (.routed(read: true, _), _), (.answering, _), (.closed, _):
            held.append(part)
        }
    }

    /// Refuses a request whose declared body is over the limit as soon as its head is read: its
    /// body is never kept, and a client that asked to continue (`sendsBody` false) is not told
    /// to send it. That client may still send it, so the connection closes after the refusal;
    /// one that sends it at once may send as much as a body refused in the middle (the limit
    /// kept, then the limit dropped) before it is cut off, and is told so when it will be.
    private func refuseAtOnce(
        _ head: ProxyRequestHead,
        declaredLength: Int,
        for provider: Provider,
        sendsBody: Bool,
        context: ChannelHandlerContext
    ) {
        if sendsBody {
            // Closed only when it is cut off, after the refusal: closing while it still sends
            // would reset the connection before it read the refusal.
            let droppable = route.bodyLimit > Int.max / 2 ? Int.max : 2 * route.bodyLimit
            state = .refusing(answered: false, droppable: droppable)
            isCutOffAfterAnswer = declaredLength > droppable
            refuse(head, for: provider, saysClose: isCutOffAfterAnswer, closingAfter: false, context: context)
        } else {
            state = .answering
            refuse(head, for: provider, saysClose: true, closingAfter: true, context: context)
        }
    }

    /// Answers `head` with the route's refusal of a body over the limit; `saysClose`: the
    /// refusal tells the client the connection will close; `closingAfter`: it closes once the
    /// refusal is written.
    private func refuse(
        _ head: ProxyRequestHead,
        for provider: Provider,
        saysClose: Bool = false,
        closingAfter: Bool,
        context: ChannelHandlerContext
    ) {
        var refusal = ProxiedRequest.bodyTooLarge(limit: route.bodyLimit, for: provider)
        if route.refusalsReadableByAnyPage, let origin = head.origin {
            BridgeCORS.allow(origin, in: &refusal.headers)
        }
        if saysClose { refusal.headers[.connection] = "close" }
        let readable = refusal
        answer(with: { .response(readable) }, to: head, closingAfter: closingAfter, context: context)
    }

    /// Makes the answer in the connection's task and writes it to the channel; the connection
    /// takes its next request when the answer has ended.
    private func answer(
        with response: @escaping @Sendable () async -> ProxyAnswer,
        to request: ProxyRequestHead,
        closingAfter: Bool,
        context: ChannelHandlerContext
    ) {
        let writer = responseWriter(answering: request, closingAfter: closingAfter, context: context)
        worker.run { await writer.write(await response()) }
    }

    /// ``answer(with:to:closingAfter:context:)`` for the route's answer to the whole provider
    /// request `head` with `body`: one closure made a request instead of two.
    private func answer(
        _ head: ProxyRequestHead,
        for provider: Provider,
        body: ByteBuffer,
        context: ChannelHandlerContext
    ) {
        let writer = responseWriter(answering: head, closingAfter: !head.isKeepAlive, context: context)
        let route = self.route
        // The provider's whole answer may be written from its connection's read, before this
        // request's task resumes to build it (``ChannelResponseWriter/writeWhole``).
        worker.run { await writer.write(await route.respond(head, provider, body, writer)) }
    }

    /// The writer of the answer to `request`, for the connection's task.
    private func responseWriter(
        answering request: ProxyRequestHead,
        closingAfter: Bool,
        context: ChannelHandlerContext
    ) -> ChannelResponseWriter {
        answersBegun &+= 1
        return ChannelResponseWriter(
            target: NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop),
            eventLoop: context.eventLoop,
            method: request.head.method,
            closingAfter: closingAfter,
            answerNumber: answersBegun
        )
    }

    /// Whether the connection is waiting to write the answer its `answer`-th writer was made
    /// for, and the request's task has not taken it over: it may be written early.
    func isAwaitingAnswer(_ answer: Int) -> Bool {
        guard case .answering = state, answer == answersBegun, answerClaimed < answer else { return false }
        return true
    }

    /// Notes that the `answer`-th answer was written early.
    func noteWrittenEarly(_ answer: Int) {
        answerWrittenEarly = answer
    }

    /// The request's task takes over writing the `answer`-th answer (none is written early
    /// after this); whether it was written early already.
    func claimAnswer(_ answer: Int) -> Bool {
        answerClaimed = max(answerClaimed, answer)
        return answerWrittenEarly == answer
    }

    /// Writes the head of an answer of the route's to a request with `method`.
    func writeHead(_ response: HTTPResponse, answering method: HTTPMethod, context: ChannelHandlerContext) {
        // Empty (a shared storage): the encoder allocates it once, at the head's measured size.
        var buffer = ByteBuffer()
        encoder.head(response, date: HTTPDate.now(), answering: method, into: &buffer)
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
    }

    /// Writes the head of a wallet answer passed on as it is (``ProxyAnswer/proxied(_:requestOrigin:)``)
    /// to a request with `method`; `readableBy`: the page that may read it.
    func writeHead(
        _ response: ProxyResponse,
        readableBy origin: String?,
        contentLength: Int?,
        answering method: HTTPMethod,
        context: ChannelHandlerContext
    ) {
        let buffer = encodeHead(
            status: response.status,
            headers: response.headers,
            readableBy: origin,
            contentLength: contentLength,
            answering: method
        )
        context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
    }

    /// Writes a wallet answer passed on as it is, whose whole body is here, flushes and ends it
    /// (``answerEnded(context:closing:)``): a body of up to ``bodyBytesJoinedToHead`` bytes leaves
    /// in the head's buffer (one write, and one buffer for the socket), a larger one after it.
    func writeWhole(
        _ answer: (status: Int, headers: [(name: String, value: String)], body: ByteBuffer),
        readableBy origin: String?,
        answering method: HTTPMethod,
        closing: Bool,
        context: ChannelHandlerContext
    ) {
        let (status, headers, body) = answer
        let joined = body.readableBytes <= Self.bodyBytesJoinedToHead
        var buffer = encodeHead(
            status: status,
            headers: headers,
            readableBy: origin,
            contentLength: body.readableBytes,
            answering: method,
            reservingAfter: joined ? body.readableBytes : 0
        )
        if joined, encoder.writesBodyAsIs {
            var body = body
            buffer.writeBuffer(&body)
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
        } else {
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: nil)
            writeBody(.byteBuffer(body), promise: nil, context: context)
        }
        writeEnd(trailers: nil, flush: true, promise: nil, context: context)
        answerEnded(context: context, closing: closing)
    }

    /// The largest whole body copied into its head's buffer.
    static let bodyBytesJoinedToHead = 16 * 1024

    private func encodeHead(
        status: Int,
        headers: [(name: String, value: String)],
        readableBy origin: String?,
        contentLength: Int?,
        answering method: HTTPMethod,
        reservingAfter spare: Int = 0
    ) -> ByteBuffer {
        // Empty (a shared storage): the encoder allocates it once, at the head's measured size.
        var buffer = ByteBuffer()
        encoder.head(
            status: status,
            fields: headers,
            extra: origin.map(BridgeCORS.fields(allowing:)) ?? [],
            contentLength: contentLength,
            date: HTTPDate.now(),
            answering: method,
            reservingAfter: spare,
            into: &buffer
        )
        return buffer
    }

    /// Writes a part of an answer's body (the route's or the router's), flushed when `flush`.
    func writeBody(
        _ part: IOData,
        flush: Bool = false,
        promise: EventLoopPromise<Void>?,
        context: ChannelHandlerContext
    ) {
        let written = encoder.body(part) { bytes, isLast in
            context.write(wrapOutboundOut(bytes), promise: isLast ? promise : nil)
        }
        // The answer to a HEAD has no body: its bytes are dropped.
        if !written { promise?.succeed() }
        if flush { context.flush() }
    }

    /// Writes the end of an answer (the route's or the router's) and flushes when `flush`.
    func writeEnd(
        trailers: HTTPHeaders?,
        flush: Bool,
        promise: EventLoopPromise<Void>?,
        context: ChannelHandlerContext
    ) {
        if let end = encoder.end(trailers: trailers) {
            context.write(wrapOutboundOut(.byteBuffer(end)), promise: promise)
        } else if let promise {
            // Nothing to write; an empty write keeps the promise in order with the others.
            context.write(wrapOutboundOut(.byteBuffer(ByteBuffer())), promise: promise)
        }
        if flush { context.flush() }
    }

    /// Flushes the channel once the event loop has run what is queued now.
    func flushSoon(context: ChannelHandlerContext) {
        guard !isFlushScheduled else { return }
        isFlushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.isFlushScheduled = false
            context.flush()
        }
    }

    /// Called on the event loop when an answer of this handler's has been written in full.
    func answerEnded(context: ChannelHandlerContext, closing: Bool) {
        if case .refusing(answered: false, let droppable) = state {
            state = .refusing(answered: true, droppable: droppable)
            // A body that could not be parsed never ends: the refusal was its answer.
            if heldError != nil || isQuiescing {
                state = .closed
                context.close(promise: nil)
            }
            return
        }
        guard case .answering = state else { return }
        if closing || isQuiescing || encoder.closesAfterBody || isCutOffAfterAnswer {
            state = .closed
            context.close(promise: nil)
        } else {
            becomeIdle(context: context)
        }
    }

    /// Called on the event loop when an answer could not be written in full.
    func answerFailed(context: ChannelHandlerContext) {
        state = .closed
        held.removeAll()
        context.close(promise: nil)
    }

    /// Takes the held parts, in order, until one starts a request that must wait again.
    private func becomeIdle(context: ChannelHandlerContext) {
        state = .idle
        silenceTimer?.noteProgress()
        var passedOn = false
        while !isBusy, let part = held.popFirst() {
            receive(part, context: context)
            if case .routed = state { passedOn = true }
        }
        // Outside a read: the router's channel takes what it was given once a read completes.
        if passedOn { context.fireChannelReadComplete() }
        guard held.isEmpty else { return }
        if let error = heldError {
            heldError = nil
            context.fireErrorCaught(error)
        }
        if isInputClosedHeld {
            isInputClosedHeld = false
            context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }
        if isReadPending {
            isReadPending = false
            context.read()
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            var buffer = ByteBuffer()
            encoder.head(head, answering: routedMethod, into: &buffer)
            context.write(wrapOutboundOut(.byteBuffer(buffer)), promise: promise)
        case .body(let part):
            writeBody(part, promise: promise, context: context)
        case .end(let trailers):
            if encoder.closesAfterBody, case .routed(_, answered: false) = state {
                // Only the connection's end tells an HTTP/1.0 client where this body ended.
                state = .closed
                held.removeAll()
                let written = promise ?? context.eventLoop.makePromise(of: Void.self)
                writeEnd(trailers: trailers, flush: true, promise: written, context: context)
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                written.futureResult.whenComplete { _ in bound.value.close(promise: nil) }
                return
            }
            writeEnd(trailers: trailers, flush: false, promise: promise, context: context)
            routerAnswerEnded(context: context)
        }
    }

    /// The router's answer ended: the connection may take its next request.
    private func routerAnswerEnded(context: ChannelHandlerContext) {
        guard case .routed(let read, answered: false) = state else { return }
        state = .routed(read: read, answered: true)
        if read {
            // Later, not inside the router's write.
            let target = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            context.eventLoop.execute {
                let (handler, context) = target.value
                if case .routed(read: true, answered: true) = handler.state { handler.becomeIdle(context: context) }
            }
        }
    }

    func read(context: ChannelHandlerContext) {
        // A client that sends ahead is not read further until its earlier requests are answered.
        if held.isEmpty {
            context.read()
        } else {
            isReadPending = true
        }
    }

    /// Whether a request of the route's is being read or answered.
    private var isOwnRequestDue: Bool {
        switch state {
        case .reading, .answering, .refusing: true
        case .idle, .routed, .closed: false
        }
    }

    /// Whether an answer of this handler's is being written, or requests wait behind one.
    private var isAnswerDue: Bool {
        switch state {
        case .answering, .refusing(answered: false, _): true
        default: !held.isEmpty
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if case .refusing(answered: true, _) = state {
            // The dropped body could not be parsed; its request already has its answer.
            state = .closed
            context.close(promise: nil)
        } else if isBusy || isAnswerDue {
            // The router would answer a parse error at once, in the middle of an answer of ours.
            if heldError == nil { heldError = error }
        } else {
            context.fireErrorCaught(error)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if isAnswerDue, let event = event as? ChannelEvent, event == .inputClosed {
            isInputClosedHeld = true
        } else if event is ChannelShouldQuiesceEvent, isOwnRequestDue {
            // The connection-state handler never saw this request: it would close the
            // connection at once, in the middle of the answer.
            isQuiescing = true
            held.removeAll()
            if case .refusing(answered: true, _) = state {
                state = .closed
                context.close(promise: nil)
            }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        state = .closed
        held.removeAll()
        worker.finish()
        silenceTimer?.stop()
        context.fireChannelInactive()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { startSilenceTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startSilenceTimer(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        // The connection's task ends with it (a closed connection removes every handler).
        worker.finish()
        silenceTimer?.stop()
    }

    /// Whether the connection is waiting on its client: between requests, or reading one, with
    /// no answer of its being written and none waiting.
    private var isWaitingOnClient: Bool {
        guard held.isEmpty else { return false }
        switch state {
        case .idle, .reading, .routed(read: false, _), .refusing: return true
        case .routed(read: true, _), .answering, .closed: return false
        }
    }

    private func startSilenceTimer(context: ChannelHandlerContext) {
        guard !isClosed else { return }
        // The timer holds the handler until it stops (when the handler leaves the pipeline).
        silenceTimer?.start(on: context.eventLoop) {
            self.isWaitingOnClient
        } close: {
            self.state = .closed
            context.close(promise: nil)
        }
    }

    private var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }
}
