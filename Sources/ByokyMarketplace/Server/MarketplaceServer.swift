import ByokyHTTPServer
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import NIOCore

/// The token marketplace: a public board of gifts people share with everyone, its API, `/health`
/// and `/metrics`. It stores listings, never a key: a listed gift is served by its giver's wallet
/// through the relay like any other gift.
public struct MarketplaceServer: Sendable {
    public let store: MarketplaceStore
    public let configuration: MarketplaceConfiguration
    let metrics = MarketplaceMetrics()

    public init(store: MarketplaceStore, configuration: MarketplaceConfiguration = .init()) {
        self.store = store
        self.configuration = configuration
    }

    /// SHA-256 (hex) of a token, as ``MarketplaceConfiguration/adminTokenHash`` keeps it.
    public static func tokenHash(_ token: String) -> String { APIExchange.hash(token) }

    public func makeRouter() -> Router<MarketplaceContext> {
        let router = Router(context: MarketplaceContext.self)
        let exchange = APIExchange(configuration: configuration, metrics: metrics)
        let gifts = GiftRoutes(store: store, exchange: exchange)
        gifts.register(on: router)
        let apps = AppRoutes(store: store, exchange: exchange)
        apps.register(on: router)
        BoardRoutes(gifts: gifts, apps: apps).register(on: router)
        router.get("/health") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#))
            )
        }
        let store = self.store
        let metrics = self.metrics
        let clock = configuration.clock
        router.get("/metrics") { _, _ in
            let active = (try? await store.activeCount(now: clock())) ?? 0
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render(activeGifts: active)))
            )
        }
        return router
    }

    /// Serves on `host:port` while `body` runs (port 0 picks a free one, passed to `body`).
    public func withRunning<Result: Sendable>(
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = Logger(label: "byoky.marketplace"),
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        try await HTTPServerRunner.withRunningServer(router: makeRouter(), host: host, port: port, logger: logger, body)
    }

    /// Serves until SIGINT or SIGTERM; `onReady` gets the bound port.
    public func runUntilSignalled(
        host: String,
        port: Int,
        logger: Logger,
        onReady: @escaping @Sendable (Int) -> Void
    ) async throws {
        try await HTTPServerRunner.runUntilSignalled(
            [HTTPServerRunner.Server(router: makeRouter(), address: .hostname(host, port: port))],
            logger: logger
        ) { ports in onReady(ports[0]) }
    }
}
