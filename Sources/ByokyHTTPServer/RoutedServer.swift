public import Hummingbird
public import HummingbirdCore
public import Logging
public import ServiceLifecycle

/// A server that is one router (the marketplace, the vault): served on a port while a piece of
/// work runs, or until SIGINT or SIGTERM.
public protocol RoutedServer: Sendable {
    associatedtype Context: RequestContext & InitializableFromSource<ApplicationRequestContextSource>
    func makeRouter() -> Router<Context>
    /// Work that runs as long as the server does (ending on graceful shutdown).
    var backgroundServices: [any Service] { get }
    /// Builds each connection's channel: Hummingbird's HTTP/1.1 one with a client idle timeout
    /// (``HTTPServerBuilder/byokyHTTP1(clientIdleTimeout:)``) unless the server answers some
    /// requests on the channel itself.
    var connectionChannel: HTTPServerBuilder { get }
}

extension RoutedServer {
    public var backgroundServices: [any Service] { [] }
    public var connectionChannel: HTTPServerBuilder { .byokyHTTP1() }
}

extension RoutedServer {
    /// Serves on `host:port` while `body` runs (port 0 picks a free one, passed to `body`).
    public func withRunning<Result: Sendable>(
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = Logger(label: "byoky.server"),
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        try await HTTPServerRunner.withRunningServers(
            [
                HTTPServerRunner.Server(
                    router: makeRouter(),
                    address: .hostname(host, port: port),
                    server: connectionChannel
                )
            ],
            alongside: backgroundServices,
            logger: logger
        ) { ports in try await body(ports[0]) }
    }

    /// Serves until SIGINT or SIGTERM; `onReady` gets the bound port.
    public func runUntilSignalled(
        host: String,
        port: Int,
        logger: Logger,
        onReady: @escaping @Sendable (Int) -> Void
    ) async throws {
        try await HTTPServerRunner.runUntilSignalled(
            [
                HTTPServerRunner.Server(
                    router: makeRouter(),
                    address: .hostname(host, port: port),
                    server: connectionChannel
                )
            ],
            alongside: backgroundServices,
            logger: logger
        ) { ports in onReady(ports[0]) }
    }
}
