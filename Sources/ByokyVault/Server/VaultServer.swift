public import ByokyHTTPServer
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// The vault: accounts a person logs in to from where no wallet runs. So far it serves the
/// accounts (`/auth/…`), the keys wallets sync to them (`/credentials…`), `/health` and `/metrics`.
public struct VaultServer: RoutedServer {
    public let store: VaultStore
    public let configuration: VaultConfiguration
    let metrics = VaultMetrics()

    public init(store: VaultStore, configuration: VaultConfiguration = .init()) {
        self.store = store
        self.configuration = configuration
    }

    public func makeRouter() -> Router<VaultContext> {
        let router = Router(context: VaultContext.self)
        let accounts = VaultAccounts(store: store, configuration: configuration)
        AccountRoutes(accounts: accounts, configuration: configuration, metrics: metrics).register(on: router)
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
