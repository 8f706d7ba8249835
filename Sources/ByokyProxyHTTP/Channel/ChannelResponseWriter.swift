import ByokyWallet
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// Writes a Hummingbird `Response` to a connection from the task that made it, for
/// ``ProxyRouteHandler``: every write runs on the channel's event loop (inline when the task is
/// already there); a streamed body is flushed once the loop has run what is already queued, so
/// chunks that arrive together leave together, and the request's log entry, made as soon as the
/// provider's answer ends, is usually queued before an app that stops reading at the last event
/// can ask for it; a body that is all here goes out with its head and end in one flush, and its
/// request is recorded right after (announced to the log first, so its readers wait for it).
struct ChannelResponseWriter: ResponseBodyWriter {
    typealias Target = NIOLoopBound<(handler: ProxyRouteHandler, context: ChannelHandlerContext)>

    let target: Target
    let eventLoop: any EventLoop
    /// The method of the request answered (the answer to a `HEAD` has no body).
    let method: HTTPMethod
    /// Whether the connection closes once the answer is written (the client asked for it).
    let closingAfter: Bool
    /// Which of the connection's answers this writes (``ProxyRouteHandler/isAwaitingAnswer(_:)``).
    let answerNumber: Int
    /// The body's length when it is known, and what of it has been written.
    private var length: Int? = nil
    private var written = 0

    init(
        target: Target,
        eventLoop: any EventLoop,
        method: HTTPMethod,
        closingAfter: Bool,
        answerNumber: Int = 0
    ) {
        self.target = target
        self.eventLoop = eventLoop
        self.method = method
        self.closingAfter = closingAfter
        self.answerNumber = answerNumber
    }

    /// Writes `answer` whole; a failure closes the connection (the client sees a cut answer).
    /// An answer written early already (``writeWhole``) is only recorded.
    func write(_ answer: ProxyAnswer) async {
        if await claim() {
            if case .proxied(let response, _) = answer {
                if let whole = response.body.takeIfWrittenEarly() {
                    await response.body.recordWritten(whole)
                } else {
                    await response.body.abandon()
                }
            }
            return
        }
        switch answer {
        case .response(let response): await write(response)
        case .proxied(let response, let requestOrigin): await write(response, requestOrigin: requestOrigin)
        }
    }

    /// Writes a wallet answer as it is. One whose whole body is already here (the usual answer
    /// that is not streamed) goes out with its head and end in one turn of the event loop and one
    /// flush; any other is streamed. A body not written to its end is abandoned (the request is
    /// recorded as cut short and the provider's answer stopped).
    private func write(_ response: ProxyResponse, requestOrigin: String?) async {
        let origin = response.readableOrigin(requestOrigin: requestOrigin)
        let method = self.method
        let closing = closingAfter
        let body = response.body
        // The request is recorded just after its answer is written (metering is off the answer's
        // path); the log's readers wait for its entry meanwhile.
        if let whole = body.takeIfCompleteToRecordAfterWriting() {
            do {
                try await onLoop { handler, context in
                    handler.writeWhole(
                        (response.status, response.headers, whole),
                        readableBy: origin,
                        answering: method,
                        closing: closing,
                        context: context
                    )
                    return nil
                }
            } catch {
                await failed()
            }
            await body.recordWritten(whole)
            return
        }
        var writer = self
        writer.length = body.knownLength
        do {
            try await writer.onLoop { [length = writer.length] handler, context in
                handler.writeHead(
                    response,
                    readableBy: origin,
                    contentLength: length,
                    answering: method,
                    context: context
                )
                return nil
            }
            for try await chunk in body { try await writer.write(chunk) }
            try await writer.finish(nil)
        } catch {
            await body.abandon()
            await failed()
        }
    }

    /// Closes the connection after an answer could not be written in full.
    private func failed() async {
        _ = try? await onLoop { handler, context in
            handler.answerFailed(context: context)
            return nil
        }
    }

    /// Writes `response` whole; a failure closes the connection (the client sees a cut answer).
    private func write(_ response: Response) async {
        var writer = self
        writer.length = response.body.contentLength
        let head = response.head
        let method = self.method
        do {
            try await writer.onLoop { handler, context in
                handler.writeHead(head, answering: method, context: context)
                return nil
            }
            try await response.body.write(writer)
        } catch {
            await failed()
        }
    }

    mutating func write(_ buffer: ByteBuffer) async throws {
        written += buffer.readableBytes
        // The last bytes of a body of known length wait for the end, to leave in one flush.
        let flushes = length.map { written < $0 } ?? true
        let pending = try await onLoop { handler, context -> EventLoopFuture<Void>? in
            guard context.channel.isWritable else {
                // Back-pressure: a client that reads slower than the provider answers holds the body.
                let promise = context.eventLoop.makePromise(of: Void.self)
                handler.writeBody(.byteBuffer(buffer), flush: true, promise: promise, context: context)
                return promise.futureResult
            }
            handler.writeBody(.byteBuffer(buffer), promise: nil, context: context)
            if flushes { handler.flushSoon(context: context) }
            return nil
        }
        try await pending?.get()
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        let closing = closingAfter
        try await onLoop { handler, context in
            // Not waited for: once the end is handed over, nothing is left to do if it fails.
            let trailers = trailingHeaders.map { HTTPHeaders($0.map { ($0.name.rawName, $0.value) }) }
            handler.writeEnd(trailers: trailers, flush: true, promise: nil, context: context)
            handler.answerEnded(context: context, closing: closing)
            return nil
        }
    }

    /// Takes over writing this answer from here on, on the channel's event loop (where an early
    /// write happens too, so the two never cross); whether it was written early already.
    private func claim() async -> Bool {
        let target = self.target
        let number = answerNumber
        if eventLoop.inEventLoop { return target.value.handler.claimAnswer(number) }
        return (try? await eventLoop.submit { target.value.handler.claimAnswer(number) }.get()) ?? false
    }

    /// Runs `body` with the handler and its context on the channel's event loop, after checking
    /// the connection is still open.
    @discardableResult
    private func onLoop(
        _ body: @escaping @Sendable (ProxyRouteHandler, ChannelHandlerContext) throws -> EventLoopFuture<Void>?
    ) async throws -> EventLoopFuture<Void>? {
        // Usually on the loop already: run at once, with no closure made for a turn of it.
        if eventLoop.inEventLoop { return try Self.run(body, on: target) }
        let target = self.target
        return try await eventLoop.submit { try Self.run(body, on: target) }.get()
    }

    /// Runs `body` with `target`'s handler and context, on its event loop, if its channel is open.
    private static func run(
        _ body: (ProxyRouteHandler, ChannelHandlerContext) throws -> EventLoopFuture<Void>?,
        on target: Target
    ) throws -> EventLoopFuture<Void>? {
        let (handler, context) = target.value
        guard context.channel.isActive else { throw ChannelError.ioOnClosedChannel }
        return try body(handler, context)
    }
}

extension ChannelResponseWriter: WholeAnswerWriter {
    /// Whether this is the connection's event loop, the connection is open and this answer is the
    /// one it is waiting to write.
    func canWriteWhole() -> Bool {
        guard eventLoop.inEventLoop else { return false }
        let (handler, context) = target.value
        return context.channel.isActive && handler.isAwaitingAnswer(answerNumber)
    }

    /// Writes the provider's whole answer from its connection's read, when that is this
    /// connection's event loop, the connection is open and this answer is the one it is waiting
    /// to write; the connection then takes its next request. The request's task finds the answer
    /// written (``ProxyResponseBody/takeIfWrittenEarly()``) and only records it.
    func writeWhole(_ answer: WholeAnswer, beforeWriting: () -> Void) -> Bool {
        guard canWriteWhole() else { return false }
        let (handler, context) = target.value
        handler.noteWrittenEarly(answerNumber)
        beforeWriting()
        // The engine forwards a request only from its session's own page, or from no page for a
        // program's session: the page that may read the answer is the session's, as on the usual
        // path (``ProxyResponse/readableOrigin(requestOrigin:)``).
        handler.writeWhole(
            (answer.status, answer.headers, answer.body),
            readableBy: answer.allowedOrigin,
            answering: method,
            closing: closingAfter,
            context: context
        )
        return true
    }
}
