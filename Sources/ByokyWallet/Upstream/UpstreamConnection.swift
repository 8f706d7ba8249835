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
    /// - Parameter onIdle: called when the response has ended and the connection may be reused.
    func send(
        _ request: UpstreamRequest,
        headTimeout: TimeAmount,
        onIdle: @escaping @Sendable () -> Void
    ) async throws -> (UpstreamResponseParser.Head, UpstreamBody) {
        let loop = channel.eventLoop
        let channel = self.channel
        let response = UpstreamBody(channel: channel)
        // The handler resumes the continuation exactly once: with the head, or with the failure
        // that ends the request (its head timeout among them).
        let head: UpstreamResponseParser.Head = try await withUnsafeThrowingContinuation { continuation in
            // Usually already on the connection's loop: started at once, not a turn of it later
            // (and with no closure made for the turn).
            if loop.inEventLoop {
                Self.start(
                    request,
                    on: channel,
                    headTimeout: headTimeout,
                    response: response,
                    onIdle: onIdle,
                    continuation: continuation
                )
            } else {
                loop.execute {
                    Self.start(
                        request,
                        on: channel,
                        headTimeout: headTimeout,
                        response: response,
                        onIdle: onIdle,
                        continuation: continuation
                    )
                }
            }
        }
        return (head, response)
    }

    /// Starts `request` on `channel`'s handler (on its event loop): `continuation` hears the
    /// response head, or the failure that ends the request.
    private static func start(
        _ request: UpstreamRequest,
        on channel: any Channel,
        headTimeout: TimeAmount,
        response: UpstreamBody,
        onIdle: @escaping @Sendable () -> Void,
        continuation: UnsafeContinuation<UpstreamResponseParser.Head, any Error>
    ) {
        let started = withHandler(channel) { handler, context in
            handler.onIdle = onIdle
            handler.start(
                request,
                headTimeout: headTimeout,
                head: { continuation.resume(with: $0) },
                response: response,
                context: context
            )
        }
        if !started { continuation.resume(throwing: UpstreamError.connectionClosed) }
    }

    func close() {
        channel.close(promise: nil)
    }
}
