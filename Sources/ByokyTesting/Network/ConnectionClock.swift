public import NIOCore

/// Notes, on the connection's event loop, when the connection came up and when it ended. A test
/// that takes these times from its own task instead reads them late on a busy machine (the few
/// threads of Swift's cooperative pool shared by a hundred tests), and judges a server that
/// closed on time to have been seconds late. Add it in the connect's channel initializer.
public final class ConnectionClock: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private struct Instants {
        var active: ContinuousClock.Instant?
        var closed: ContinuousClock.Instant?
        var closeFuture: EventLoopFuture<Void>?
    }

    private let instants = Locked(Instants())

    public init() {}

    /// When the connection came up; `nil` before.
    public var activeAt: ContinuousClock.Instant? { instants.withLock(\.active) }
    /// When the connection ended (closed by either side or reset); `nil` while it is open.
    public var closedAt: ContinuousClock.Instant? { instants.withLock(\.closed) }

    /// Waits for the connection to end: when it did, as its event loop saw it (the caller may
    /// resume long after).
    public func closed() async throws -> ContinuousClock.Instant {
        guard let closeFuture = instants.withLock(\.closeFuture) else {
            throw FixtureError("the clock was never added to a connection")
        }
        try await closeFuture.get()
        // The close future completes after the pipeline has seen the channel go inactive.
        return closedAt ?? .now
    }

    public func handlerAdded(context: ChannelHandlerContext) {
        let closeFuture = context.channel.closeFuture
        instants.withLock { $0.closeFuture = closeFuture }
        if context.channel.isActive { noteActive() }
    }

    public func channelActive(context: ChannelHandlerContext) {
        noteActive()
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        let now = ContinuousClock.now
        instants.withLock { if $0.closed == nil { $0.closed = now } }
        context.fireChannelInactive()
    }

    private func noteActive() {
        let now = ContinuousClock.now
        instants.withLock { if $0.active == nil { $0.active = now } }
    }
}
