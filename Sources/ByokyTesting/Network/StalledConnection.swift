public import NIOCore
import NIOPosix

/// A client that connects, sends a little (maybe nothing) and then stalls: how servers treat a
/// silent or slow client.
public enum StalledConnection {
    /// How long from the start of the connect (then `opening`) the server on `127.0.0.1:port`
    /// took to end the connection; `nil` when it was still open after `patience`.
    /// The close is timed on the connection's event loop (``ConnectionClock``), not when this
    /// task next runs.
    public static func closingTime(port: Int, opening: String = "", patience: Duration) async throws -> Duration? {
        let clock = ConnectionClock()
        // Taken before the connect, as the server's silence can only begin after it.
        let started = ContinuousClock.now
        _ = try await withConnection(
            port: port,
            patience: patience,
            opening: Array(opening.utf8),
            clock: clock,
            read: { inbound, _ in
                // An answer the server writes first (a refusal) is read and dropped; a reset
                // ends the connection as a close does.
                do {
                    for try await _ in inbound {}
                } catch {}
                return ()
            }
        )
        // Past the patience, the close is this side's own.
        guard let closed = clock.closedAt, closed - started <= patience else { return nil }
        return closed - started
    }

    /// Connects to `127.0.0.1:port` (with a receive buffer of 64 KiB when `smallWindow`), sends
    /// `opening` as soon as the connection is up (``OpeningWriter``), with `clock` noting when it
    /// came up and ended, runs `start`, then `read` with the connection's inbound side and the
    /// instant the connect began, for at most `patience`: what `read` returned, or `nil` past it.
    private static func withConnection<Result: Sendable>(
        port: Int,
        smallWindow: Bool = false,
        patience: Duration,
        opening: [UInt8],
        clock: ConnectionClock = ConnectionClock(),
        start: () async throws -> Void = {},
        read:
            @escaping @Sendable (NIOAsyncChannelInboundStream<ByteBuffer>, ContinuousClock.Instant) async throws ->
            Result?
    ) async throws -> Result? {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        if smallWindow {
            // Set before the connect, which fixes the window: the kernel holds little unread.
            bootstrap = bootstrap.channelOption(.socketOption(.so_rcvbuf), value: 64 * 1024)
        }
        // Taken before the connect: a busy machine may resume this task well after the server
        // took the connection, and a time taken then would be short of the server's.
        let started = ContinuousClock.now
        let channel = try await bootstrap.connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandlers(clock, OpeningWriter(opening))
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        return try await channel.executeThenClose { inbound, _ in
            try await start()
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask { try await read(inbound, started) }
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

extension StalledConnection {
    /// What a client read of what it was sent.
    public struct LateRead: Sendable {
        /// The bytes it read, all told.
        public let byteCount: Int
        /// The last bytes it read (at most 4 KiB), as text.
        public let tail: String
        /// The longest it went without reading, from one read to the next (a test whose own
        /// task is held up on a busy machine reads late: a server may then rightly cut it).
        public let longestGap: Duration
    }

    /// Connects to `127.0.0.1:port` with a small receive buffer, sends `opening`, reads nothing
    /// while `meanwhile` runs, then reads until the server ends the connection: what it read, or
    /// `nil` when the connection was still open after `patience`. How a server treats a client
    /// that stops reading what it is sent.
    public static func readingLate(
        port: Int,
        opening: [UInt8],
        meanwhile: () async throws -> Void,
        patience: Duration
    ) async throws -> LateRead? {
        try await reading(
            port: port,
            opening: opening,
            meanwhile: meanwhile,
            burst: .max,
            pause: .zero,
            patience: patience
        )
    }

    /// Connects to `127.0.0.1:port` with a small receive buffer, sends `opening`, then reads
    /// `burst` bytes at a time with `pause` between bursts until the server ends the connection
    /// or `until` says the answer is whole: what it read, or `nil` when that took longer than
    /// `patience`. How a server treats a client that reads slowly.
    public static func readingSlowly(
        port: Int,
        opening: [UInt8],
        burst: Int,
        pause: Duration,
        patience: Duration,
        until isWhole: @escaping @Sendable (LateRead) -> Bool
    ) async throws -> LateRead? {
        try await reading(
            port: port,
            opening: opening,
            meanwhile: {},
            burst: burst,
            pause: pause,
            patience: patience,
            until: isWhole
        )
    }

    private static func reading(
        port: Int,
        opening: [UInt8],
        meanwhile: () async throws -> Void,
        burst: Int,
        pause: Duration,
        patience: Duration,
        until isWhole: @escaping @Sendable (LateRead) -> Bool = { _ in false }
    ) async throws -> LateRead? {
        try await withConnection(
            port: port,
            smallWindow: true,
            patience: patience,
            opening: opening,
            start: {
                // The inbound stream stops reading the socket once a few reads wait unconsumed.
                try await meanwhile()
            },
            read: { inbound, _ in
                var count = 0
                var sincePause = 0
                var tail: [UInt8] = []
                var lastRead = ContinuousClock.now
                var longestGap = Duration.zero
                func read() -> LateRead {
                    LateRead(
                        byteCount: count,
                        tail: String(decoding: tail.suffix(4096), as: UTF8.self),
                        longestGap: longestGap
                    )
                }
                // A reset ends the connection as a close does.
                do {
                    for try await buffer in inbound {
                        let now = ContinuousClock.now
                        longestGap = max(longestGap, now - lastRead)
                        lastRead = now
                        count += buffer.readableBytes
                        sincePause += buffer.readableBytes
                        tail.append(contentsOf: buffer.readableBytesView)
                        if tail.count > 8192 { tail.removeFirst(tail.count - 4096) }
                        if isWhole(read()) { break }
                        if sincePause >= burst {
                            sincePause = 0
                            try await Task.sleep(for: pause)
                        }
                    }
                } catch is CancellationError {
                    return nil
                } catch {}
                return read()
            }
        )
    }
}

extension StalledConnection {
    /// Opens `count` connections to `127.0.0.1:port` and keeps them, sending nothing, until
    /// closed: what fills a server's connections.
    public static func open(_ count: Int, port: Int) async throws -> [any Channel] {
        var channels: [any Channel] = []
        for _ in 0..<count {
            channels.append(
                try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
            )
        }
        return channels
    }

    /// Sends `request` on a new connection to `127.0.0.1:port`: how long from the start of the
    /// connect the first byte of an answer came, or `nil` when none came within `patience`.
    public static func answerTime(port: Int, request: String, patience: Duration) async throws -> Duration? {
        try await withConnection(
            port: port,
            patience: patience,
            opening: Array(request.utf8),
            read: { inbound, started in
                var iterator = inbound.makeAsyncIterator()
                return try await iterator.next() == nil ? nil : ContinuousClock.now - started
            }
        )
    }
}
