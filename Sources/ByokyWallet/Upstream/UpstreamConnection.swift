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
        let channel = self.channel
        let response = UpstreamBody(channel: channel, onWhole: onWhole)
        // The handler resumes the continuation exactly once: with the head, or with the failure
        // that ends the request (its head timeout among them).
        let head: UpstreamResponseParser.Head = try await withUnsafeThrowingContinuation { continuation in
            let start = Start(
                request: request,
                headTimeout: headTimeout,
                response: response,
                onIdle: onIdle,
                continuation: continuation
            )
            // Usually already on the connection's loop: started at once, not a turn of it later
            // (and with no closure made for the turn).
            if loop.inEventLoop {
                start.run(on: channel)
            } else {
                loop.execute { start.run(on: channel) }
            }
        }
        return (head, response)
    }

    /// A request to start on a connection's handler, on its event loop: `continuation` hears the
    /// response head, or the failure that ends the request.
    private struct Start: Sendable {
        let request: UpstreamRequest
        let headTimeout: TimeAmount
        let response: UpstreamBody
        let onIdle: @Sendable () -> Void
        let continuation: UnsafeContinuation<UpstreamResponseParser.Head, any Error>

        func run(on channel: any Channel) {
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
    }

    func close() {
        channel.close(promise: nil)
    }
}
