import NIOCore
import NIOPosix
import Synchronization

/// Every open connection of a relay, so a shutdown can close them all (not only the ones that
/// joined a room).
final class ConnectionRegistry: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func add(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        channels.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { _ in
            _ = self.channels.withLock { $0.removeValue(forKey: key) }
        }
    }

    /// Closes every connection and waits until they are closed, or `deadline` passes (a socket
    /// that does not close must not hold the relay's shutdown forever).
    func closeAll(deadline: TimeAmount = .seconds(5)) async {
        let open = channels.withLock { Array($0.values) }
        guard !open.isEmpty else { return }
        for channel in open { channel.close(promise: nil) }
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let closed = EventLoopFuture.andAllComplete(open.map(\.closeFuture), on: loop)
        let done = loop.makePromise(of: Void.self)
        let finished = Mutex(false)
        let finish: @Sendable () -> Void = {
            if finished.withLock({ state in
                defer { state = true }
                return !state
            }) {
                done.succeed(())
            }
        }
        closed.whenComplete { _ in finish() }
        let timer = loop.scheduleTask(in: deadline) { finish() }
        try? await done.futureResult.get()
        timer.cancel()
    }
}
