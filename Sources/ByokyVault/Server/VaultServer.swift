public import ByokyHTTPServer
import ByokyProxyHTTP
public import ByokyRelayHost
public import ByokyWallet
import Foundation
import HTTPTypes
public import Hummingbird
public import HummingbirdCore
import NIOCore
public import ServiceLifecycle

/// The vault: accounts a person logs in to from where no wallet runs. It serves the accounts
/// (`/auth/…`), what wallets sync to them (`/credentials…`, `/routing`), app sessions
/// (`/connect`, `/apps`), the apps' requests (`/proxy/…`), the gifts it serves for offline
/// wallets (`/gifts…`, and their relay rooms, when it has a gift key), `/health` and `/metrics`.
public struct VaultServer: RoutedServer {
    public let store: VaultStore
    public let configuration: VaultConfiguration
    /// Sends `/proxy` requests upstream; the caller shuts it down once the server has stopped.
    public let httpClient: UpstreamClient
    let metrics = VaultMetrics()
    /// Holds the served gifts' relay rooms (`nil` without a gift key).
    public let giftHost: GiftHost?
    let giftSource: VaultGiftSource?
    /// `/proxy/…`: one value for the router and the connections' channel, so both count against
    /// the same per-account engine state.
    let proxy: ProxyRoutes

    public init(
        store: VaultStore,
        configuration: VaultConfiguration = .init(),
        httpClient: UpstreamClient,
        onGiftEvent: @escaping @Sendable (GiftHost.Event) -> Void = { _ in }
    ) {
        self.store = store
        self.configuration = configuration
        self.httpClient = httpClient
        giftSource = configuration.giftKey.map {
            VaultGiftSource(store: store, giftKey: $0, httpClient: httpClient, configuration: configuration)
        }
        giftHost = giftSource.map { GiftHost(source: $0, onEvent: onGiftEvent) }
        let sessions = VaultAppSessions(
            accounts: VaultAccounts(store: store, configuration: configuration),
            store: store,
            configuration: configuration
        )
        proxy = ProxyRoutes(sessions: sessions, store: store, configuration: configuration, httpClient: httpClient)
    }

    /// Provider requests (`/proxy/<provider>/…`) are answered on the connection's channel, as the
    /// bridge answers its own; everything else goes to the router.
    public var connectionChannel: HTTPServerBuilder {
        ProxyHTTP1Channel.server(route: proxy.channelRoute())
    }

    public var backgroundServices: [any Service] {
        guard let giftHost, let giftSource else { return [] }
        return [GiftHostingService(host: giftHost, source: giftSource, interval: configuration.giftPollInterval)]
    }

    public func makeRouter() -> Router<VaultContext> {
        let router = Router(context: VaultContext.self)
        router.add(middleware: VaultCORS())
        let accounts = VaultAccounts(store: store, configuration: configuration)
        let sessions = VaultAppSessions(accounts: accounts, store: store, configuration: configuration)
        AppSessionRoutes(sessions: sessions, configuration: configuration).register(on: router)
        RoutingRoutes(
            sync: VaultRoutingSync(accounts: accounts, store: store, configuration: configuration),
            configuration: configuration
        ).register(on: router)
        proxy.register(on: router)
        AccountRoutes(accounts: accounts, configuration: configuration, metrics: metrics).register(on: router)
        let giftHost = self.giftHost
        GiftRoutes(
            gifts: VaultGifts(accounts: accounts, store: store, configuration: configuration) {
                Task { await giftHost?.reconcile() }
            },
            configuration: configuration
        ).register(on: router)
        CredentialRoutes(
            keys: VaultKeys(accounts: accounts, store: store, configuration: configuration),
            configuration: configuration
        ).register(on: router)
        router.get("/health") { _, _ in
            VaultAnswer.response(.ok, Data(#"{"ok":true}"#.utf8))
        }
        let store = self.store
        let metrics = self.metrics
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.render(users: (try? await store.users()) ?? 0)))
            )
        }
        return router
    }
}
