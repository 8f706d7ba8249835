import ByokyCore
import ByokyHTTPServer
import Logging

extension MockProvider {
    /// Runs the mock on `host`:`port` (0 picks a free port) for the duration of `body`, which
    /// receives the bound port; the server shuts down gracefully when `body` returns or throws.
    public static func withRunningServer<Result: Sendable>(
        configuration: Configuration = Configuration(),
        host: String = "127.0.0.1",
        port: Int = 0,
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        let logger = StandardErrorLogHandler.logger(label: "byoky.mock-provider", level: .critical)
        do {
            return try await HTTPServerRunner.withRunningServer(
                router: makeRouter(configuration: configuration),
                host: host,
                port: port,
                logger: logger,
                body
            )
        } catch let failure as HTTPServerRunner.BindFailure {
            throw ByokyError(.internalError, "The mock provider \(failure)")
        }
    }
}
