import NIOCore
import NIOHTTP1
import Synchronization

/// One keep-alive HTTP/1.1 connection to a provider, carrying one request at a time.
final class UpstreamConnection: Sendable {
    let channel: any Channel
    private let reused = Mutex(false)

    init(channel: any Channel) {
        self.channel = channel
    }

    var isUsable: Bool { channel.isActive }

    /// Whether this connection served a request before (so a failure may just mean the provider
    /// closed it while it sat in the pool).
    var wasReused: Bool {
        get { reused.withLock { $0 } }
        set { reused.withLock { $0 = newValue } }
    }

    /// Runs `body` with the connection's handler, on its event loop.
    static func withHandler(
        _ channel: any Channel,
        _ body: (UpstreamResponseHandler, ChannelHandlerContext) -> Void
    ) -> Bool {
        guard let context = try? channel.pipeline.syncOperations.context(handlerType: UpstreamResponseHandler.self),
            let handler = context.handler as? UpstreamResponseHandler
        else { return false }
        body(handler, context)
        return true
    }

    /// Sends `request` and waits for the response head (at most `headTimeout`).
    ///
    /// - Parameters:
    ///   - onWhole: hears the head and the whole body the moment an answer ends cleanly before
    ///     its body was read (``UpstreamBody``).
    ///   - onIdle: called when the response has ended and the connection may be reused.
    func send(
        _ request: UpstreamRequest,
        headTimeout: TimeAmount,
        onWhole: (any WholeAnswerTaker)? = nil,
        onIdle: @escaping @Sendable () -> Void
    ) async throws -> (UpstreamResponseParser.Head, UpstreamBody) {
        let loop = channel.eventLoop
        let response = UpstreamBody(channel: channel, onWhole: onWhole)
        // The handler resumes the continuation exactly once: with the head, or with the failure
        // that ends the request (its head timeout among them).
        let head: UpstreamResponseParser.Head = try await withUnsafeThrowingContinuation { continuation in
            let start = Start(
                connection: self,
                request: request,
                headTimeout: headTimeout,
                response: response,
                onIdle: onIdle,
                head: { continuation.resume(with: $0) }
            )
            // Usually already on the connection's loop: started at once, not a turn of it later
            // (and with no closure made for the turn).
            if loop.inEventLoop {
                start.run()
            } else {
                loop.execute { start.run() }
            }
        }
        return (head, response)
    }

    /// Sends `request` from the connection's own event loop, with no task waiting: `head` hears
    /// the response head with the body that follows it, or the failure that ends the request,
    /// once (on that loop).
    func start(
        _ request: UpstreamRequest,
        headTimeout: TimeAmount,
        onWhole: (any WholeAnswerTaker)?,
        onIdle: @escaping @Sendable () -> Void,
        head: @escaping UpstreamClient.HeadReceiver
    ) {
        channel.eventLoop.preconditionInEventLoop()
        let response = UpstreamBody(channel: channel, onWhole: onWhole)
        Start(
            connection: self,
            request: request,
            headTimeout: headTimeout,
            response: response,
            onIdle: onIdle,
            head: { head($0.map { ($0, response) }) }
        ).run()
    }

    /// A request to start on a connection's handler, on its event loop: `head` hears the response
    /// head, or the failure that ends the request.
    private struct Start: Sendable {
        let connection: UpstreamConnection
        let request: UpstreamRequest
        let headTimeout: TimeAmount
        let response: UpstreamBody
        let onIdle: @Sendable () -> Void
        let head: @Sendable (Result<UpstreamResponseParser.Head, any Error>) -> Void

        func run() {
            let started = withHandler(connection.channel) { handler, context in
                handler.onIdle = onIdle
                handler.start(request, headTimeout: headTimeout, head: head, response: response, context: context)
            }
            if !started { head(.failure(UpstreamError.connectionClosed)) }
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}
