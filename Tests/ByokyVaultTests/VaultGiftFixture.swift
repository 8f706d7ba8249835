import ByokyCore
import ByokyMockProvider
import ByokyRelay
import ByokyRelayHost
import ByokyStore
import ByokyTesting
import ByokyVault
import ByokyWallet
import Crypto
import Foundation
import NIOCore
import Testing

/// A giver's wallet logged in to a vault that holds a gift key, a relay and the mock provider, all
/// in this process on loopback; one gift on the giver's key, redeemed by a receiver's wallet. The
/// giver's own gift host (its `byoky serve`) starts stopped: ``startGiver()`` / ``stopGiver()``.
struct VaultGiftFixture: Sendable {
    static let canary = "sk-vault-gift-upstream-CANARY-31"

    let vault: VaultFixture
    let vaultHost: GiftHost
    let giver: Wallet
    let giverHost: GiftHost
    let receiver: Wallet
    let receiverEngine: ProxyEngine
    let sessionKey: String
    let gift: GiftRecord
    let link: GiftLink
    let relayPort: Int
    /// Every frame peers sent the relay.
    let trace: Locked<[String]>
    let giverEvents: Locked<[GiftHost.Event]>
    let vaultEvents: Locked<[GiftHost.Event]>
    let upstream: Locked<[MockProvider.ObservedRequest]>

    static func with(
        on database: TestDatabase = .sqlite,
        budget: Int = 1_000_000,
        adjust: @Sendable (inout VaultConfiguration) -> Void = { _ in },
        _ body: @Sendable (VaultGiftFixture) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let upstream = Locked<[MockProvider.ObservedRequest]>([])
        let trace = Locked<[String]>([])
        let vaultEvents = Locked<[GiftHost.Event]>([])
        var configuration = VaultConfiguration()
        configuration.giftKey = GiftKey(SymmetricKey(size: .bits256))
        configuration.giftPollInterval = .milliseconds(200)
        adjust(&configuration)
        let base = configuration
        let mock = MockProvider.Configuration(apiKey: canary) { request in upstream.withLock { $0.append(request) } }
        let relay = RelayServer { frame in trace.withLock { $0.append(frame) } }
        try await MockProvider.withRunningServer(configuration: mock) { mockPort in
            try await relay.withRunningServer { relayPort in
                try await VaultFixture.with(
                    on: database,
                    base,
                    onGiftEvent: { event in vaultEvents.withLock { $0.append(event) } }
                ) {
                    vault in
                    let clock: @Sendable () -> Int64 = { vault.time.withLock { $0 } }
                    let giver = try await Wallet.open(home: WalletHome(path: folder.path + "/giver"), now: clock)
                    let receiver = try await Wallet.open(home: WalletHome(path: folder.path + "/receiver"), now: clock)
                    let httpClient = ProxyEngine.makeHTTPClient()
                    let giverEvents = Locked<[GiftHost.Event]>([])
                    do {
                        try await giver.initialize(password: "Giver-Password-88", iterations: 100_000)
                        try await receiver.initialize(password: "Receiver-Password-88", iterations: 100_000)
                        try await giver.enterVault(
                            url: "http://127.0.0.1:\(vault.port)",
                            username: "gift_giver",
                            password: SecretString(VaultFixture.password),
                            signingUp: true
                        )
                        try await giver.addCredential(
                            provider: .anthropic,
                            secret: SecretString(canary),
                            baseURL: "http://127.0.0.1:\(mockPort)"
                        )
                        let (gift, link) = try await giver.createGift(
                            key: "Anthropic",
                            budget: budget,
                            lifetime: 3_600_000,
                            relayURL: "ws://127.0.0.1:\(relayPort)",
                            label: "Vera"
                        )
                        try await receiver.redeemGift(link: link.url())
                        let grant = try await receiver.createSession(
                            app: AppIdentity(name: "Receiver app"),
                            providers: [.anthropic]
                        )
                        let giverHost = GiftHost(
                            wallet: giver,
                            engine: ProxyEngine(wallet: giver, httpClient: httpClient)
                        ) {
                            event in giverEvents.withLock { $0.append(event) }
                        }
                        let fixture = VaultGiftFixture(
                            vault: vault,
                            vaultHost: try #require(vault.giftHost),
                            giver: giver,
                            giverHost: giverHost,
                            receiver: receiver,
                            receiverEngine: ProxyEngine(wallet: receiver, httpClient: httpClient),
                            sessionKey: grant.key.exposedValue,
                            gift: gift,
                            link: link,
                            relayPort: relayPort,
                            trace: trace,
                            giverEvents: giverEvents,
                            vaultEvents: vaultEvents,
                            upstream: upstream
                        )
                        defer {
                            giverHost.stop()
                            fixture.receiverEngine.closeGiftConnections()
                        }
                        try await body(fixture)
                    } catch {
                        try? await httpClient.shutdown()
                        try? await giver.close()
                        try? await receiver.close()
                        throw error
                    }
                    try await httpClient.shutdown()
                    try await giver.close()
                    try await receiver.close()
                }
            }
        }
    }

    /// The giver's `byoky serve` starts hosting its gifts, and holds the room.
    func startGiver() async throws {
        await giverHost.reconcile()
        try await waitUntil("the giver holds the room") { giverHost.onlineGiftIDs.contains(gift.id) }
    }

    /// The giver's wallet goes offline.
    func stopGiver() async throws {
        giverHost.stop()
        try await waitUntil("the giver left the room") { !giverHost.onlineGiftIDs.contains(gift.id) }
    }

    /// Waits (bounded) until the vault holds the gift's room, or (`false`) until it does not.
    func waitForVault(online: Bool = true) async throws {
        try await waitUntil("the vault \(online ? "holds" : "left") the room") {
            vaultHost.onlineGiftIDs.contains(gift.id) == online
        }
    }

    /// Polls `condition` every 10 ms for at most 10 s.
    func waitUntil(_ what: String, _ condition: @Sendable () async throws -> Bool) async throws {
        for _ in 0..<1000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw FixtureError("Timed out: \(what)")
    }

    /// An Anthropic Messages request from the receiver's app, through its own bridge engine.
    func ask(maxTokens: Int = 32, stream: Bool = false) async throws -> ProxyEngine.AppAnswer {
        try await receiverEngine.anthropicCall(
            sessionKey: sessionKey,
            prompt: "Hello through a served gift",
            maxTokens: maxTokens,
            stream: stream
        )
    }

    /// How many requests each host answered.
    var servedByGiver: Int { giverEvents.withLock { $0.filter { if case .served = $0 { true } else { false } }.count } }
    var servedByVault: Int { vaultEvents.withLock { $0.filter { if case .served = $0 { true } else { false } }.count } }

    /// The vault's count for the gift, as its owner's listing shows it.
    func vaultUsed() async throws -> Int? {
        let (login, client) = try giver.savedVaultLogin()
        return try await client.gifts(token: SecretString(login.token)).first { $0.id == gift.id }?.usedTokens
    }

    func giverUsed() async throws -> Int { try await giver.gift(gift.id).usedTokens }
}
