import NIOCore
import NIOPosix

/// A client that connects, sends a little (maybe nothing) and then stalls: how servers treat a
/// silent or slow client.
public enum StalledConnection {
    /// How long after the connect (and `opening`) the server on `127.0.0.1:port` ended the
    /// connection; `nil` when it was still open after `patience`.
    public static func closingTime(port: Int, opening: String = "", patience: Duration) async throws -> Duration? {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let started = ContinuousClock.now
        return try await channel.executeThenClose { inbound, outbound in
            if !opening.isEmpty { try await outbound.write(ByteBuffer(string: opening)) }
            return try await withThrowingTaskGroup(of: Duration?.self) { group in
                group.addTask {
                    // An answer the server writes first (a refusal) is read and dropped; a reset
                    // ends the connection as a close does.
                    do {
                        for try await _ in inbound {}
                    } catch {}
                    return ContinuousClock.now - started
                }
                group.addTask {
                    try await Task.sleep(for: patience)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }
}
