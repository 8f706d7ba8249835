import AsyncHTTPClient
import ByokyCore
import ByokyHTTPServer
import ByokyRelayHost
import ByokyServerStore
import ByokyTesting
import ByokyVault
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1

/// A vault on a loopback port over a real database (a SQLite file, or PostgreSQL when the run has
/// one), with a clock the test moves and a cheap key derivation (the rules are the same).
struct VaultFixture: Sendable {
    let port: Int
    let location: DatabaseLocation
    let time: Locked<Int64>
    /// The served gifts' rooms (with a gift key in the configuration).
    let giftHost: GiftHost?

    typealias Answer = LoopbackAnswer

    static let password = "Vault-Fixture-Password-42"
    /// The fixture clock's first reading (Unix ms).
    static let start: Int64 = 1_800_000_000_000

    /// The default configuration changed by `adjust`.
    static func configuration(_ adjust: (inout VaultConfiguration) -> Void) -> VaultConfiguration {
        var configuration = VaultConfiguration()
        adjust(&configuration)
        return configuration
    }

    /// Runs `body` against a vault on a fresh database of the `on` kind; `base` keeps its limits,
    /// while the clock and a cheaper key derivation are the fixture's.
    static func with(
        on kind: TestDatabase = .sqlite,
        _ base: VaultConfiguration = .init(),
        onGiftEvent: @escaping @Sendable (GiftHost.Event) -> Void = { _ in },
        _ body: @Sendable (VaultFixture) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let location = try await kind.freshLocation(in: folder, name: "vault")
        let time = Locked<Int64>(start)
        var configuration = base
        configuration.passwordIterations = 100_000
        configuration.clock = { time.withLock { $0 } }
        let store = try await VaultStore.open(location)
        let httpClient = UpstreamClient()
        let server = VaultServer(
            store: store,
            configuration: configuration,
            httpClient: httpClient,
            onGiftEvent: onGiftEvent
        )
        do {
            try await server.withRunning { port in
                try await body(VaultFixture(port: port, location: location, time: time, giftHost: server.giftHost))
            }
        } catch {
            try? await httpClient.shutdown()
            try? await store.close()
            throw error
        }
        try? await httpClient.shutdown()
        try await store.close()
    }

    func advance(milliseconds: Int64) { time.withLock { $0 += milliseconds } }

    func send(
        _ method: HTTPMethod,
        _ path: String,
        json: String? = nil,
        token: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> Answer {
        try await LoopbackHTTP.send(port: port, method, path, json: json, token: token, headers: headers)
    }

    static func credentials(_ username: String, _ password: String = VaultFixture.password) -> String {
        let object = ["username": username, "password": password]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    func signUp(_ username: String) async throws -> Answer {
        try await send(.POST, "/auth/signup", json: Self.credentials(username))
    }

    func logIn(
        _ username: String,
        _ password: String = VaultFixture.password,
        from address: String? = nil
    )
        async throws -> Answer
    {
        try await send(
            .POST,
            "/auth/login",
            json: Self.credentials(username, password),
            headers: address.map { [("x-forwarded-for", $0)] } ?? []
        )
    }
}

extension LoopbackAnswer {
    /// The vault's error code, from `{"error": {"code", …}}`.
    var code: String? { (json["error"] as? [String: Any])?["code"] as? String }
}
