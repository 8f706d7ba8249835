import ByokyCore
package import Hummingbird
package import HummingbirdCore
package import Logging
import NIOCore
package import ServiceLifecycle
import UnixSignals

/// Runs a Hummingbird router on a loopback port for the duration of a piece of work, shared by
/// the wallet daemon and the mock provider.
package enum HTTPServerRunner {
    /// One server: a router (of any request context) and where it listens.
    package struct Server: Sendable {
        package let address: BindAddress
        /// The most connections it holds at once; `nil` for ``ServerLimits/maximumConnections(openFileLimit:)``.
        package let maximumConnections: Int?
        /// Makes the server's service, holding at most the connections given; it reports its bound
        /// port (0 for a Unix socket) when it runs.
        let makeService: @Sendable (BindAddress, Int, Logger, @escaping @Sendable (Int) -> Void) -> any Service

        /// `server` builds each connection's channel (by default Hummingbird's HTTP/1.1 one with a
        /// client idle timeout, ``HTTPServerBuilder/byokyHTTP1(clientIdleTimeout:)``).
        package init<Context: RequestContext>(
            router: Router<Context>,
            address: BindAddress,
            server: HTTPServerBuilder = .byokyHTTP1(),
            maximumConnections: Int? = nil
        )
        where Context: InitializableFromSource<ApplicationRequestContextSource> {
            self.address = address
            self.maximumConnections = maximumConnections
            let responder = router.buildResponder()
            makeService = { address, maximumConnections, logger, onRunning in
                Application(
                    responder: responder,
                    server: server,
                    configuration: .init(
                        address: address,
                        serverName: nil,
                        availableConnectionsDelegate: MaximumAvailableConnections(maximumConnections)
                    ),
                    onServerRunning: { channel in onRunning(channel.localAddress?.port ?? 0) },
                    logger: logger
                )
            }
        }
    }

    /// Starts the server, calls `body` with the bound port, then shuts the server down gracefully
    /// (in-flight responses finish) when `body` returns or throws.
    ///
    /// - Throws: `BindFailure` when the address cannot be bound, or what `body` throws.
    package static func withRunningServer<Result: Sendable>(
        router: Router<some InitializableFromSource<ApplicationRequestContextSource>>,
        host: String,
        port: Int,
        logger: Logger,
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        try await withRunningServers(
            [Server(router: router, address: .hostname(host, port: port))],
            logger: logger
        ) { ports in try await body(ports[0]) }
    }

    /// Starts every server, calls `body` with their bound ports (0 for a Unix socket) in order,
    /// then shuts them all down gracefully when `body` returns or throws: answers in flight get
    /// `shutdownGrace` to end before the servers are cancelled.
    package static func withRunningServers<Result: Sendable>(
        _ servers: [Server],
        alongside extraServices: [any Service] = [],
        logger: Logger,
        shutdownGrace: Duration = defaultShutdownGrace,
        _ body: @Sendable ([Int]) async throws -> Result
    ) async throws -> Result {
        try await run(
            servers,
            alongside: extraServices,
            signals: [],
            logger: logger,
            untilSignalled: false,
            shutdownGrace: shutdownGrace,
            body
        )
    }

    /// Runs every server until SIGINT or SIGTERM, then shuts down gracefully; `onReady` gets the ports.
    package static func runUntilSignalled(
        _ servers: [Server],
        alongside extraServices: [any Service] = [],
        logger: Logger,
        onReady: @escaping @Sendable ([Int]) -> Void
    ) async throws {
        try await run(
            servers,
            alongside: extraServices,
            signals: [.sigterm, .sigint],
            logger: logger,
            untilSignalled: true,
            shutdownGrace: defaultShutdownGrace
        ) { ports in onReady(ports) }
    }

    /// Runs the servers and extra services in one service group. With `untilSignalled`, `body` only
    /// announces readiness and the group runs until a signal; otherwise the group is shut down
    /// gracefully as soon as `body` returns or throws.
    ///
    /// The group runs in its own task, shielded from the caller's cancellation: a caller cancelled
    /// in the middle of `body` (a test past its time limit) still gets answers to the requests it
    /// has in flight, so its awaits end and the shutdown below stays graceful. A shutdown that takes
    /// longer than `shutdownGrace` (a response that never ends) is cut short by cancelling the group.
    private static func run<Result: Sendable>(
        _ servers: [Server],
        alongside extraServices: [any Service],
        signals: [UnixSignal],
        logger: Logger,
        untilSignalled: Bool,
        shutdownGrace: Duration,
        _ body: @Sendable ([Int]) async throws -> Result
    ) async throws -> Result {
        // Every connection holds a file descriptor.
        let (applications, readiness) = makeApplications(
            servers,
            maximumConnections: ServerLimits.maximumConnectionsRaisingOpenFileLimit(),
            logger: logger
        )
        let services = ServiceGroup(
            configuration: .init(
                services: applications + extraServices,
                gracefulShutdownSignals: signals,
                logger: logger
            )
        )
        let group = Task {
            defer { for (_, continuation) in readiness { continuation.finish() } }
            try await services.run()
        }
        // A server that has not reported its port by then counts as failed to bind, so a wedged
        // start fails the caller instead of hanging it.
        let startLimit = Task.detached {
            try await Task.sleep(for: startupLimit)
            for (_, continuation) in readiness { continuation.finish() }
        }
        let result: Result
        do {
            let ports: [Int]
            do {
                defer { startLimit.cancel() }
                ports = try await boundPorts(readiness, servers: servers)
            }
            result = try await body(ports)
        } catch {
            // The caller's error wins over the group's.
            try? await stop(group, services, grace: shutdownGrace)
            throw error
        }
        if untilSignalled {
            try await group.value
        } else {
            try await stop(group, services, grace: shutdownGrace)
        }
        return result
    }

    /// How long the servers may take to start listening.
    static let startupLimit: Duration = .seconds(60)

    /// How long a graceful shutdown may take, by default, before the servers are cancelled.
    package static let defaultShutdownGrace: Duration = .seconds(10)

    /// Shuts the group down gracefully, cancelling it if that takes longer than `grace`;
    /// rethrows what the group threw.
    private static func stop(_ group: Task<Void, any Error>, _ services: ServiceGroup, grace: Duration) async throws {
        await services.triggerGracefulShutdown()
        // A detached timer: the caller may be cancelled, and its own sleeps would end at once.
        let deadline = Task.detached {
            try await Task.sleep(for: grace)
            group.cancel()
        }
        defer { deadline.cancel() }
        try await group.value
    }

    /// Waits for each server to report its port; a server that stops first failed to bind.
    private static func boundPorts(
        _ readiness: [(AsyncStream<Int>, AsyncStream<Int>.Continuation)],
        servers: [Server]
    ) async throws -> [Int] {
        var ports: [Int] = []
        for (index, (stream, _)) in readiness.enumerated() {
            var iterator = stream.makeAsyncIterator()
            let bound = await iterator.next()
            try Task.checkCancellation()
            guard let bound, bound >= 0 else {
                throw BindFailure(address: "\(servers[index].address)")
            }
            ports.append(bound)
        }
        return ports
    }

    private static func makeApplications(
        _ servers: [Server],
        maximumConnections: Int,
        logger: Logger
    ) -> ([any Service], [(AsyncStream<Int>, AsyncStream<Int>.Continuation)]) {
        var applications: [any Service] = []
        var readiness: [(AsyncStream<Int>, AsyncStream<Int>.Continuation)] = []
        for server in servers {
            let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
            readiness.append((stream, continuation))
            applications.append(
                server.makeService(server.address, server.maximumConnections ?? maximumConnections, logger) { port in
                    continuation.yield(port)
                    continuation.finish()
                }
            )
        }
        return (applications, readiness)
    }

    /// The server could not listen on the address.
    package struct BindFailure: Error, CustomStringConvertible {
        package let address: String
        package var description: String { "cannot listen on \(address)" }
    }
}
