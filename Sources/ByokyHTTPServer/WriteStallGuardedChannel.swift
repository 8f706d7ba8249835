import ByokyCore
public import HummingbirdCore
public import Logging
public import NIOCore

/// A server's child channel with a ``WriteStallHandler`` first in its pipeline, nearest the
/// socket: `Base` sets up the rest, and a client that stops reading what it is sent is closed.
public struct WriteStallGuardedChannel<Base: ServerChildChannel>: ServerChildChannel {
    public typealias Value = Base.Value

    let base: Base
    let timeout: TimeAmount

    public init(_ base: Base, timeout: TimeAmount) {
        self.base = base
        self.timeout = timeout
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timeout = self.timeout
        return channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(WriteStallHandler(timeout: timeout))
        }
        .flatMap { base.setup(channel: channel, logger: logger) }
    }

    public func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
