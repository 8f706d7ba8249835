import ByokyHTTPServer
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import NIOCore

/// The vault: accounts a person logs in to from where no wallet runs. So far it serves the
/// accounts (`/auth/…`), the keys wallets sync to them (`/credentials…`), `/health` and `/metrics`.
public struct VaultServer: Sendable {
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

    /// Serves on `host:port` while `body` runs (port 0 picks a free one, passed to `body`).
    public func withRunning<Result: Sendable>(
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger = Logger(label: "byoky.vault"),
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
