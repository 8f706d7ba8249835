import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyMockProvider
import ByokyRelay
import ByokyRelayHost
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOCore
import Synchronization
import Testing

/// Two wallets in separate folders, a relay and the mock provider, all in this process on
/// loopback: the giver hosts one gift, the receiver has redeemed it and holds a session for an app.
struct GiftFixture: Sendable {
    static let canary = "sk-upstream-GIFT-CANARY-7373"

    let giver: Wallet
    let giverEngine: ProxyEngine
    let host: GiftHost
    let receiver: Wallet
    let receiverEngine: ProxyEngine
    let sessionKey: String
    let gift: GiftRecord
    let link: GiftLink
    let relay: RelayServer
    let relayPort: Int
    /// Every frame peers sent the relay (secrets of `relay:auth` redacted).
    let trace: Locked<[String]>
    let events: Locked<[GiftHost.Event]>
    let clock: Locked<Int64>
    let httpClient: UpstreamClient
    /// Every request that reached the mock provider.
    let upstreamRequests: Locked<[MockProvider.ObservedRequest]>
    /// The JSON bodies the mock read, in order.
    let upstreamBodies: Locked<[MockProvider.ObservedBody]>

    static func with(
        budget: Int = 1_000_000,
        relayLimits: RelayLimits = .init(),
        provider: ProviderID = .anthropic,
        _ body: @Sendable (GiftFixture) async throws -> Void
    ) async throws {
        let giverFolder = try TemporaryFolder()
        let receiverFolder = try TemporaryFolder()
        defer {
            giverFolder.remove()
            receiverFolder.remove()
        }
        // The giver's clock can be moved forward to expire the gift.
        let clock = Locked<Int64>(0)
        let giver = try await Wallet.open(home: WalletHome(path: giverFolder.path)) {
            WallClock.nowMilliseconds() + clock.withLock { $0 }
        }
        let receiver = try await Wallet.open(home: WalletHome(path: receiverFolder.path))
        let httpClient = ProxyEngine.makeHTTPClient()
        let trace = Locked<[String]>([])
        let upstreamRequests = Locked<[MockProvider.ObservedRequest]>([])
        let upstreamBodies = Locked<[MockProvider.ObservedBody]>([])
        let relay = RelayServer(limits: relayLimits) { frame in trace.withLock { $0.append(frame) } }
        do {
            try await giver.initialize(password: "Giver-Password-77", iterations: 100_000)
            try await receiver.initialize(password: "Receiver-Password-77", iterations: 100_000)
            let mock = MockProvider.Configuration(
                apiKey: canary,
                onRequest: { request in upstreamRequests.withLock { $0.append(request) } },
                onBody: { body in upstreamBodies.withLock { $0.append(body) } }
            )
            try await MockProvider.withRunningServer(configuration: mock) { mockPort in
                try await relay.withRunningServer { relayPort in
                    try await giver.addCredential(
                        provider: provider,
                        secret: SecretString(canary),
                        baseURL: "http://127.0.0.1:\(mockPort)"
                    )
                    let (gift, link) = try await giver.createGift(
                        key: ProviderRegistry.displayName(of: provider),
                        budget: budget,
                        lifetime: 3_600_000,
                        relayURL: "ws://127.0.0.1:\(relayPort)",
                        label: "Ana"
                    )
                    let events = Locked<[GiftHost.Event]>([])
                    let giverEngine = ProxyEngine(wallet: giver, httpClient: httpClient)
                    let host = GiftHost(wallet: giver, engine: giverEngine) { event in
                        events.withLock { $0.append(event) }
                    }
                    let receiverEngine = ProxyEngine(wallet: receiver, httpClient: httpClient)
                    try await receiver.redeemGift(link: link.url())
                    let grant = try await receiver.createSession(
                        app: AppIdentity(name: "Receiver app"),
                        providers: [provider]
                    )
                    let ready = GiftFixture(
                        giver: giver,
                        giverEngine: giverEngine,
                        host: host,
                        receiver: receiver,
                        receiverEngine: receiverEngine,
                        sessionKey: grant.key.exposedValue,
                        gift: gift,
                        link: link,
                        relay: relay,
                        relayPort: relayPort,
                        trace: trace,
                        events: events,
                        clock: clock,
                        httpClient: httpClient,
                        upstreamRequests: upstreamRequests,
                        upstreamBodies: upstreamBodies
                    )
                    await host.reconcile()
                    try await ready.waitUntilOnline()
                    do {
                        try await body(ready)
                    } catch {
                        ready.stop()
                        throw error
                    }
                    ready.stop()
                }
            }
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

    func stop() {
        host.stop()
        receiverEngine.closeGiftConnections()
    }

    /// Waits (bounded) until the giver holds the gift's room.
    func waitUntilOnline(_ online: Bool = true) async throws {
        for _ in 0..<500 {
            if host.onlineGiftIDs.contains(gift.id) == online { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ByokyError(.timeout, "The gift did not go \(online ? "online" : "offline")")
    }

    /// An Anthropic Messages request from the receiver's app, through its own bridge engine.
    func ask(
        _ prompt: String = "Hello through a gift",
        maxTokens: Int = 32,
        stream: Bool = false,
        path: String = "/v1/messages",
        method: String = "POST",
        body: String? = nil,
        engine: ProxyEngine? = nil
    ) async throws -> ProxyEngine.AppAnswer {
        try await (engine ?? receiverEngine).anthropicCall(
            sessionKey: sessionKey,
            prompt: prompt,
            maxTokens: maxTokens,
            stream: stream,
            path: path,
            method: method,
            body: body
        )
    }

    /// The giver's count for the gift.
    func giverUsed() async throws -> Int {
        try await giver.gift(gift.id).usedTokens
    }

    /// The gift's used tokens once the giver has recorded a request's usage (it does so after
    /// the answer has ended, which the receiver may see first): polled for up to two seconds.
    func giverUsedOnceCounted() async throws -> Int {
        for _ in 0..<200 {
            let used = try await giverUsed()
            if used > 0 { return used }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await giverUsed()
    }

    /// The receiver's app calling `pathAndQuery` of `provider` through the gift, with a JSON
    /// `body`, its session key in `provider`'s key header, and `headers`.
    func receiverCall(
        _ provider: ProviderID,
        _ pathAndQuery: String,
        body: String,
        headers: [(String, String)] = []
    ) async -> ProxyResponse {
        let key =
            switch provider {
            case .anthropic: ("x-api-key", sessionKey)
            case .gemini: ("x-goog-api-key", sessionKey)
            default: ("authorization", "Bearer \(sessionKey)")
            }
        return await receiverEngine.handle(
            ProxyRequest(
                provider: provider,
                method: "POST",
                pathAndQuery: pathAndQuery,
                headers: [("content-type", "application/json"), key] + headers,
                body: ByteBuffer(string: body)
            ),
            sessionKey: sessionKey
        )
    }

    /// The receiver's view of the gift.
    func received() async throws -> ReceivedGiftRecord {
        try #require(try await receiver.receivedGifts().first { $0.id == gift.id })
    }
}
