import ByokyCore
import Hummingbird
import Logging
import NIOCore

extension MockProvider {
    /// Runs the mock on `host`:`port` (0 picks a free port) for the duration of `body`, which
    /// receives the bound port; the server shuts down when `body` returns or throws.
    public static func withRunningServer<Result: Sendable>(
        configuration: Configuration = Configuration(),
        host: String = "127.0.0.1",
        port: Int = 0,
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "byoky.mock-provider")
        logger.logLevel = .critical
        let app = Application(
            router: makeRouter(configuration: configuration),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService(gracefulShutdownSignals: []) }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let boundPort = await iterator.next(), boundPort > 0 else {
                throw ByokyError(.internalError, "The mock provider could not bind to \(host):\(port)")
            }
            return try await body(boundPort)
        }
    }
}
