import ByokyTesting
import NIOCore
import NIOEmbedded
import Testing

@testable import ByokyWallet

/// A request on a connection that is closing is answered at once, never left waiting: the head
/// timeout reaches a request through the connection's handler, which is gone a turn of the loop
/// after the close.
struct UpstreamClosedConnectionTests {
    static func request() throws -> UpstreamRequest {
        try UpstreamRequest(method: "GET", target: "/v1/models", host: "127.0.0.1", headers: [], body: nil)
    }

    /// An open connection with its handler, as the client makes one.
    static func connection() throws -> (EmbeddedChannel, UpstreamResponseHandler) {
        let channel = EmbeddedChannel()
        let handler = UpstreamResponseHandler(readIdleTimeout: .seconds(60))
        try channel.pipeline.syncOperations.addHandler(handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return (channel, handler)
    }

    /// Starts a request on `handler` and returns what its head receiver heard so far.
    static func start(
        on handler: UpstreamResponseHandler,
        in channel: EmbeddedChannel
    ) throws -> Locked<[Result<UpstreamResponseParser.Head, any Error>]> {
        let heard = Locked<[Result<UpstreamResponseParser.Head, any Error>]>([])
        let context = try channel.pipeline.syncOperations.context(handlerType: UpstreamResponseHandler.self)
        handler.start(
            try request(),
            headTimeout: .seconds(60),
            head: { result in heard.withLock { $0.append(result) } },
            response: UpstreamBody(channel: nil),
            context: context
        )
        return heard
    }

    static func isConnectionClosed(_ heard: Locked<[Result<UpstreamResponseParser.Head, any Error>]>) -> Bool {
        heard.withLock { results in
            guard results.count == 1, case .failure(let error) = results[0] else { return false }
            return error as? UpstreamError == .connectionClosed
        }
    }

    @Test func aRequestStartedAfterTheCloseAndBeforeTheHandlerIsRemovedFailsAtOnce() throws {
        let (channel, handler) = try Self.connection()
        // The provider ends the connection: `channelInactive` now, the handler's removal queued.
        channel.close(promise: nil)
        #expect(!channel.isActive)
        let heard = try Self.start(on: handler, in: channel)
        #expect(Self.isConnectionClosed(heard))
        // Heard once: the removal that follows answers nothing twice.
        channel.embeddedEventLoop.run()
        #expect(heard.withLock { $0.count } == 1)
    }

    @Test func aRequestWaitingWhenItsHandlerIsRemovedFails() throws {
        let (channel, handler) = try Self.connection()
        let heard = try Self.start(on: handler, in: channel)
        #expect(heard.withLock { $0.isEmpty })
        try channel.pipeline.syncOperations.removeHandler(handler).wait()
        #expect(Self.isConnectionClosed(heard))
        _ = try? channel.finish()
    }
}
