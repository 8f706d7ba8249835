package import Hummingbird
package import Logging
import NIOCore
package import ServiceLifecycle
import UnixSignals

/// Runs a Hummingbird router on a loopback port for the duration of a piece of work, shared by
/// the wallet daemon and the mock provider.
package enum HTTPServerRunner {
    /// One server: a router and where it listens.
    package struct Server {
        package let router: Router<BasicRequestContext>
        package let address: BindAddress

        package init(router: Router<BasicRequestContext>, address: BindAddress) {
            self.router = router
            self.address = address
        }
    }

    /// Starts the server, calls `body` with the bound port, then shuts the server down gracefully
    /// (in-flight responses finish) when `body` returns or throws.
    ///
    /// - Throws: `BindFailure` when the address cannot be bound, or what `body` throws.
    package static func withRunningServer<Result: Sendable>(
        router: Router<BasicRequestContext>,
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
    /// then shuts them all down gracefully when `body` returns or throws.
    package static func withRunningServers<Result: Sendable>(
        _ servers: [Server],
        alongside extraServices: [any Service] = [],
        logger: Logger,
        _ body: @Sendable ([Int]) async throws -> Result
    ) async throws -> Result {
        try await run(servers, alongside: extraServices, signals: [], logger: logger, untilSignalled: false, body)
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
            untilSignalled: true
        ) { ports in onReady(ports) }
    }

    /// Runs the servers and extra services in one service group. With `untilSignalled`, `body` only
    /// announces readiness and the group runs until a signal; otherwise the group is shut down
    /// gracefully as soon as `body` returns or throws.
    private static func run<Result: Sendable>(
        _ servers: [Server],
        alongside extraServices: [any Service],
        signals: [UnixSignal],
        logger: Logger,
        untilSignalled: Bool,
        _ body: @Sendable ([Int]) async throws -> Result
    ) async throws -> Result {
        let (applications, readiness) = makeApplications(servers, logger: logger)
        let services = ServiceGroup(
            configuration: .init(
                services: applications + extraServices,
                gracefulShutdownSignals: signals,
                logger: logger
            )
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await services.run()
                for (_, continuation) in readiness { continuation.finish() }
            }
            let ports: [Int]
            do {
                ports = try await boundPorts(readiness, servers: servers)
            } catch {
                group.cancelAll()
                throw error
            }
            do {
                let result = try await body(ports)
                if !untilSignalled { await services.triggerGracefulShutdown() }
                try await group.waitForAll()
                return result
            } catch {
                await services.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    /// Waits for each server to report its port; a server that stops first failed to bind.
    private static func boundPorts(
        _ readiness: [(AsyncStream<Int>, AsyncStream<Int>.Continuation)],
        servers: [Server]
    ) async throws -> [Int] {
        var ports: [Int] = []
        for (index, (stream, _)) in readiness.enumerated() {
            var iterator = stream.makeAsyncIterator()
            guard let bound = await iterator.next(), bound >= 0 else {
                throw BindFailure(address: "\(servers[index].address)")
            }
            ports.append(bound)
        }
        return ports
    }

    private static func makeApplications(
        _ servers: [Server],
        logger: Logger
    ) -> ([any Service], [(AsyncStream<Int>, AsyncStream<Int>.Continuation)]) {
        var applications: [any Service] = []
        var readiness: [(AsyncStream<Int>, AsyncStream<Int>.Continuation)] = []
        for server in servers {
            let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
            readiness.append((stream, continuation))
            applications.append(
                Application(
                    router: server.router,
                    configuration: .init(address: server.address, serverName: nil),
                    onServerRunning: { channel in
                        continuation.yield(channel.localAddress?.port ?? 0)
                        continuation.finish()
                    },
                    logger: logger
                )
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
