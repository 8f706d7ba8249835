import ByokyCore
import NIOCore
import NIOHTTP1

/// The one handler of an upstream connection (after TLS): sends one request at a time, written
/// serialized already (``UpstreamRequest``) from its own context, reads the answer from the
/// socket's bytes (``UpstreamResponseParser``) and hands its head, body chunks and end to the
/// waiting proxy request. Nothing else is on the pipeline, so a read or a write passes no other
/// handler.
///
/// It also gates socket reads (a paused body stops reading until its reader catches up) and ends
/// a request whose provider has not answered its head by the request's head timeout, or went
/// silent in the middle of an answer for `readIdleTimeout`: both with the connection's one timer,
/// not one a request.
final class UpstreamResponseHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = Never
    typealias OutboundOut = IOData

    /// Hears how a request's head ended: the head, or why there is none.
    typealias HeadReceiver = (Result<UpstreamResponseParser.Head, any Error>) -> Void

    /// The request in flight.
    private struct Exchange {
        var head: HeadReceiver?
        var body: UpstreamBody?
        /// An error answer's body, held until its end to have the owner's account identifiers
        /// masked (``AccountIdentifierMask``) wherever the reads cut it; `nil` for other answers
        /// and for an error body longer than ``UpstreamResponseHandler/maximumHeldErrorBody``.
        var heldErrorBody: ByteBuffer?
    }

    /// The longest error body held to be masked; a longer one is passed on as it comes.
    static let maximumHeldErrorBody = 64 * 1024

    private var exchange: Exchange?
    private var parser = UpstreamResponseParser()
    /// Bytes of an answer that did not make a whole part yet (a head or chunk line cut by a read).
    private var leftover: ByteBuffer?
    private var readPaused = false
    private var readPending = false
    /// Called on the event loop when a response ended and the connection can take another request.
    var onIdle: (() -> Void)?
    /// The handler's place on the pipeline, while it is on one.
    private var context: ChannelHandlerContext?
    /// How long a provider may stay silent in the middle of an answer.
    private let readIdleTimeout: TimeAmount
    /// When bytes last came (or reading last resumed): the start of the current silence.
    private var lastRead = NIODeadline.now()
    /// When the request in flight must have its answer's head.
    private var headDeadline = NIODeadline.distantFuture
    private var hasRead = false
    private var idleCheck: Scheduled<Void>?
    /// When the pending check is due.
    private var idleCheckDue = NIODeadline.now()
    /// Whether a check that ran late (the loop was held up) leaves judging to the next.
    private var lateCheck = LateTimerCheck()

    init(readIdleTimeout: TimeAmount) {
        self.readIdleTimeout = readIdleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startIdleChecks(context: context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        idleCheck?.cancel()
        idleCheck = nil
        // Nothing can answer a request still waiting once the handler is gone.
        fail(.connectionClosed)
    }

    func channelActive(context: ChannelHandlerContext) {
        startIdleChecks(context: context)
        context.fireChannelActive()
    }

    /// Sends a request; `head` hears the response head (once), or ``UpstreamError/headTimeout``
    /// when none has come `headTimeout` from now; `response` gets the body that follows.
    func start(
        _ request: UpstreamRequest,
        headTimeout: TimeAmount,
        head: @escaping HeadReceiver,
        response: UpstreamBody,
        context: ChannelHandlerContext
    ) {
        exchange = Exchange(head: head, body: response)
        parser.expectAnswer(toHEAD: request.method == .HEAD)
        // A connection that closed just now (the provider ended it in the pool) has had its
        // `channelInactive` already, and its handler is removed only a turn of the loop later:
        // a request started in between would wait for an answer nothing can bring.
        guard let context = self.context, context.channel.isActive else { return fail(.connectionClosed) }
        headDeadline = .now() + headTimeout
        // The check already due comes first unless the head timeout is shorter than the silence
        // limit (by default they are the same): then it is brought forward (or made, if the
        // connection has none yet).
        if idleCheck == nil || headDeadline < idleCheckDue {
            idleCheck?.cancel()
            scheduleCheck(at: headDeadline, context: context)
        }
        if let body = request.body {
            context.write(wrapOutboundOut(.byteBuffer(request.head)), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(body)), promise: nil)
        } else {
            context.writeAndFlush(wrapOutboundOut(.byteBuffer(request.head)), promise: nil)
        }
    }

    /// Reads again after the body's reader drained it.
    func resumeReading(context: ChannelHandlerContext) {
        readPaused = false
        // A paused reader was no silence of the provider's: it counts from now.
        lastRead = .now()
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
        hasRead = true
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Once a read, not once a chunk: the clock is read once however many chunks came.
        if hasRead {
            hasRead = false
            lastRead = .now()
        }
        context.fireChannelReadComplete()
    }

    private func handle(_ event: UpstreamResponseParser.Event, context: ChannelHandlerContext) {
        switch event {
        case .head(let head):
            exchange?.body?.declare(head)
            if head.status >= 400 { exchange?.heldErrorBody = ByteBuffer() }
            let receiver = exchange?.head
            exchange?.head = nil
            receiver?(.success(head))
        case .body(var chunk):
            if var held = exchange?.heldErrorBody {
                exchange?.heldErrorBody = nil
                if held.readableBytes + chunk.readableBytes <= Self.maximumHeldErrorBody {
                    held.writeBuffer(&chunk)
                    exchange?.heldErrorBody = held
                    return
                }
                // Too long to hold: what was held goes on, and the rest as it comes.
                if held.readableBytes > 0, exchange?.body?.append(held) == true { readPaused = true }
            }
            if exchange?.body?.append(chunk) == true { readPaused = true }
        case .end(let keepAlive):
            if var held = exchange?.heldErrorBody, held.readableBytes > 0 {
                held.withUnsafeMutableReadableBytes { bytes in
                    var bytes = bytes
                    AccountIdentifierMask.mask(&bytes)
                }
                _ = exchange?.body?.append(held)
            }
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

    /// Checks for silence every `readIdleTimeout`, and again that long after the last read when
    /// there was one since, or at the head timeout of the request in flight when that is sooner:
    /// one timer a connection, not one a request or a read.
    private func startIdleChecks(context: ChannelHandlerContext) {
        guard idleCheck == nil else { return }
        lastRead = .now()
        scheduleCheck(at: lastRead + readIdleTimeout, context: context)
    }

    private func scheduleCheck(at due: NIODeadline, context: ChannelHandlerContext) {
        idleCheckDue = due
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: due) {
            self.checkTimeouts(context: context)
        }
    }

    private func checkTimeouts(context: ChannelHandlerContext) {
        idleCheck = nil
        guard self.context != nil, context.channel.isActive else { return }
        let now = NIODeadline.now()
        if let expired = expiredLimit(at: now) {
            if lateCheck.shouldLookAgain(due: idleCheckDue, now: now) {
                return scheduleCheck(at: now + LateTimerCheck.tolerance, context: context)
            }
            fail(expired)
            context.close(promise: nil)
            return
        }
        lateCheck.reset()
        let silence = now - lastRead
        var due = silence < readIdleTimeout ? lastRead + readIdleTimeout : now + readIdleTimeout
        if exchange?.head != nil, headDeadline < due { due = headDeadline }
        scheduleCheck(at: due, context: context)
    }

    /// The limit the request in flight is past at `now`, if any: its head timeout while it waits
    /// for the head, the silence limit in the middle of an answer that is being read (a
    /// connection in the pool has nothing to wait for).
    private func expiredLimit(at now: NIODeadline) -> UpstreamError? {
        guard let current = exchange else { return nil }
        if current.head != nil { return now >= headDeadline ? .headTimeout : nil }
        return !readPaused && now - lastRead >= readIdleTimeout ? .idleTimeout : nil
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
