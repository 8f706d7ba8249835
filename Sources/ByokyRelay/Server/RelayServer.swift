import ByokyCore
import HummingbirdCore
public import Logging
public import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket
public import ServiceLifecycle
import Synchronization

/// The relay as a network server: WebSocket upgrades on any path (as the original), `GET /health`
/// and `GET /metrics`, built directly on SwiftNIO so that a connection needs no task of its own.
public struct RelayServer: Sendable {
    public let hub: RelayHub
    let connections = ConnectionRegistry()
    /// How often the relay pings each client (a client that misses a pong is disconnected).
    public var pingInterval: TimeAmount = .seconds(30)

    /// - Parameter frameTrace: hears every frame a peer sends (with `relay:auth` secrets redacted),
    ///   for auditing what the relay can see; `nil` (the default) records nothing.
    public init(limits: RelayLimits = .init(), frameTrace: (@Sendable (String) -> Void)? = nil) {
        hub = RelayHub(limits: limits, frameTrace: frameTrace)
    }

    /// The relay as a service: listens on `host:port` (0 picks a free port, passed to
    /// `onServerRunning`), sweeps idle rooms, and on graceful shutdown closes every connection.
    public func makeService(
        host: String,
        port: Int,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some Service {
        RelayService(server: self, host: host, port: port, logger: logger, onServerRunning: onServerRunning)
    }

    func track(_ channel: any Channel) {
        connections.add(channel)
    }

    func closeAllConnections() async {
        await connections.closeAll()
    }

    /// Sets up a new connection's pipeline: HTTP, upgradable to the relay's WebSocket handler.
    func configure(_ channel: any Channel) -> EventLoopFuture<Void> {
        let hub = self.hub
        let pingInterval = self.pingInterval
        let maximumFrameSize = hub.limits.maximumFrameSize
        let http = RelayHTTPHandler(hub: hub)
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: maximumFrameSize,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0,
                            maxAccumulatedFrameCount: 1024,
                            maxAccumulatedFrameSize: maximumFrameSize
                        )
                    )
                    try channel.pipeline.syncOperations.addHandler(
                        RelayWebSocketHandler(hub: hub, pingInterval: pingInterval)
                    )
                }
            }
        )
        // Until the upgrade, a connection silent for the client idle timeout is closed; once
        // upgraded, pings see to it. Both leave the pipeline then.
        let idle = SilentClientHandler(timeout: TimeAmount(hub.limits.clientIdleTimeout))
        let boundHandlers = NIOLoopBound((http, idle), eventLoop: channel.eventLoop)
        let stall = WriteStallHandler(timeout: TimeAmount(hub.limits.clientIdleTimeout))
        return channel.eventLoop.makeCompletedFuture {
            // A client that stops reading is closed, before and after the upgrade.
            try channel.pipeline.syncOperations.addHandler(stall)
            try channel.pipeline.syncOperations.addHandler(idle)
            try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                withServerUpgrade: (
                    upgraders: [upgrader],
                    completionHandler: { context in
                        let (http, idle) = boundHandlers.value
                        context.pipeline.syncOperations.removeHandler(http, promise: nil)
                        context.pipeline.syncOperations.removeHandler(idle, promise: nil)
                    }
                )
            )
            try channel.pipeline.syncOperations.addHandler(http)
        }
    }
}

/// Runs the relay's listening socket and sweeper until graceful shutdown or cancellation.
struct RelayService: Service {
    let server: RelayServer
    let host: String
    let port: Int
    let logger: Logger
    let onServerRunning: @Sendable (Int) async -> Void

    func run() async throws {
        let server = self.server
        // Every connection holds a file descriptor: past the cap no one more is accepted until a
        // connection closes.
        let maximumConnections =
            server.hub.limits.maximumConnections ?? ServerLimits.maximumConnectionsRaisingOpenFileLimit()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        AvailableConnectionsChannelHandler(maxConnections: maximumConnections)
                    )
                }
            }
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                server.track(channel)
                return server.configure(channel)
            }
            .bind(host: host, port: port)
            .get()
        logger.info("byoky relay listening", metadata: ["address": "\(listener.localAddress?.description ?? "?")"])
        await onServerRunning(listener.localAddress?.port ?? port)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isShuttingDownGracefully, !Task.isCancelled {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: server.hub.limits.sweepInterval) }
                    server.hub.sweep()
                }
            }
            // A future's wait does not see the task's cancellation: the listener is closed on a
            // graceful shutdown and on cancellation alike, or a cancelled relay never ends.
            await withTaskCancellationHandler {
                await withGracefulShutdownHandler {
                    try? await listener.closeFuture.get()
                } onGracefulShutdown: {
                    listener.close(promise: nil)
                }
            } onCancel: {
                listener.close(promise: nil)
            }
            group.cancelAll()
        }
        await server.closeAllConnections()
    }
}

extension RelayServer {
    /// Runs the relay on `host` and `port` (0: a free one) while `body` runs (for tests, benchmarks and
    /// embedding), then shuts it down gracefully.
    public func withRunningServer<Result: Sendable>(
        host: String = "127.0.0.1",
        port requestedPort: Int = 0,
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "byoky.relay")
        logger.logLevel = .critical
        let bound = Mutex<Int?>(nil)
        let app = makeService(host: host, port: requestedPort, logger: logger) { port in
            bound.withLock { $0 = port }
        }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var port: Int?
            for _ in 0..<1000 where port == nil {
                port = bound.withLock { $0 }
                if port == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            guard let port else {
                await group.triggerGracefulShutdown()
                throw ByokyError(.timeout, "The relay did not start")
            }
            let result: Result
            do {
                result = try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}
