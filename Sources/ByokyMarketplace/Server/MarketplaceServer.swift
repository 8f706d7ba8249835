public import ByokyHTTPServer
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// The token marketplace: a public board of gifts people share with everyone, its API, `/health`
/// and `/metrics`. It stores listings, never a key: a listed gift is served by its giver's wallet
/// through the relay like any other gift.
public struct MarketplaceServer: RoutedServer {
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
}
