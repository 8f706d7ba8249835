package import Hummingbird
package import Logging
import NIOCore
import ServiceLifecycle

/// Runs a Hummingbird router on a loopback port for the duration of a piece of work, shared by
/// the wallet daemon and the mock provider.
package enum HTTPServerRunner {
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
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let services = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger)
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await services.run()
                portContinuation.finish()
            }
            var iterator = ports.makeAsyncIterator()
            guard let bound = await iterator.next(), bound > 0 else {
                group.cancelAll()
                throw BindFailure(host: host, port: port)
            }
            do {
                let result = try await body(bound)
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return result
            } catch {
                await services.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    /// The server could not listen on the address.
    package struct BindFailure: Error, CustomStringConvertible {
        package let host: String
        package let port: Int
        package var description: String { "cannot listen on \(host):\(port)" }
    }
}
