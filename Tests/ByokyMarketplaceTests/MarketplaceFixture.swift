import AsyncHTTPClient
import ByokyCore
import ByokyHTTPServer
import ByokyMarketplace
import ByokyServerStore
import ByokyTesting
import Foundation
import NIOCore
import NIOHTTP1

/// A marketplace on a loopback port over a real database (a SQLite file, or PostgreSQL when the run
/// has one), with a clock the test moves.
struct MarketplaceFixture: Sendable {
    let port: Int
    let location: DatabaseLocation
    let time: Locked<Int64>

    typealias Answer = LoopbackAnswer

    static let start: Int64 = 1_800_000_000_000

    /// The default configuration changed by `adjust`.
    static func configuration(_ adjust: (inout MarketplaceConfiguration) -> Void) -> MarketplaceConfiguration {
        var configuration = MarketplaceConfiguration()
        adjust(&configuration)
        return configuration
    }

    /// Runs `body` against a marketplace on a fresh database of the `on` kind, or on `location`
    /// (to restart over the data of an earlier run).
    static func with(
        _ base: MarketplaceConfiguration = .init(),
        on kind: TestDatabase = .sqlite,
        location existing: DatabaseLocation? = nil,
        _ body: @Sendable (MarketplaceFixture) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let location: DatabaseLocation
        if let existing {
            location = existing
        } else {
            location = try await kind.freshLocation(in: folder, name: "marketplace")
        }
        let time = Locked(start)
        var configuration = base
        configuration.clock = { time.withLock { $0 } }
        let store = try await MarketplaceStore.open(location)
        do {
            try await MarketplaceServer(store: store, configuration: configuration).withRunning { port in
                try await body(MarketplaceFixture(port: port, location: location, time: time))
            }
        } catch {
            try? await store.close()
            throw error
        }
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

    /// A version 2 gift link (room and public key, the receivers' token), as `byoky gift create` makes.
    static func link(
        id: String = SecureRandom.uuid(),
        provider: ProviderID = .anthropic,
        budget: Int = 10_000,
        expiresIn: Int64 = 7 * 86_400_000,
        version2: Bool = true,
        now: Int64 = start
    ) -> (id: String, url: String, token: String) {
        let token = "gft_" + SecureRandom.base64URLToken(byteCount: 16)
        let link = GiftLink(
            giftID: id,
            provider: provider,
            senderLabel: "Ana",
            authToken: token,
            maxTokens: budget,
            expiresAt: now + expiresIn,
            relayURL: "wss://relay.example",
            roomID: version2 ? RelaySealing.roomID(senderKey: SecureRandom.base64URLToken(byteCount: 32)) : nil,
            publicKey: version2 ? RelaySealing.generateKeyPair().publicKey : nil
        )
        return (id, link.url(), token)
    }

    /// Lists a gift; returns its id, link and management token.
    func list(
        name: String? = "Ana",
        budget: Int = 10_000,
        headers: [(String, String)] = []
    ) async throws -> (id: String, url: String, management: String) {
        let (id, url, _) = Self.link(budget: budget, now: time.withLock { $0 })
        var body: [String: Any] = ["giftLink": url]
        if let name { body["gifterName"] = name }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
        let answer = try await send(.POST, "/gifts", json: json, headers: headers)
        guard answer.status == 201, let management = answer.json["managementToken"] as? String else {
            throw CocoaError(.coderInvalidValue, userInfo: [NSLocalizedDescriptionKey: "listing: \(answer.text)"])
        }
        return (id, url, management)
    }

    func board(_ query: String = "") async throws -> (active: [[String: Any]], expired: [[String: Any]]) {
        let answer = try await send(.GET, "/gifts" + query)
        return (
            answer.json["active"] as? [[String: Any]] ?? [], answer.json["expired"] as? [[String: Any]] ?? []
        )
    }
}
