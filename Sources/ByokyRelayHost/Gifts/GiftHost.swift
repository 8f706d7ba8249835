import ByokyCore
import ByokyStore
public import ByokyWallet
import Synchronization

/// The giver's side of gifts: keeps one relay connection, as the room's proven sender, for every
/// gift its ``GiftSource`` holds (a wallet's own gifts, or the gifts a vault serves for wallets
/// that are offline), and serves the receivers' end-to-end sealed requests with the gift's
/// credential.
///
/// Every request re-reads its gift from the source, so a revocation or expiry takes effect on the
/// next request, whoever made the change. Usage totals other senders of a room report (the
/// wallet and a vault both hold an opted-in gift's room) are recorded, never lowering a count,
/// and each sender announces its own total when it joins. Gifts that ended less than ``lingering`` ago stay
/// connected so receivers hear `GIFT_REVOKED` or `GIFT_EXPIRED` (410) rather than "offline".
/// Dropped connections come back with back-off (1 s doubling to 30 s).
public final class GiftHost: Sendable {
    /// How long an ended gift keeps answering with its reason.
    public static let lingering = Wallet.endedGiftLingering

    /// What happened, for the owner's terminal and for tests.
    public enum Event: Sendable, Equatable {
        case online(giftID: String)
        case offline(giftID: String, reason: String)
        case served(giftID: String, status: Int, usedTokens: Int?)
    }

    /// The gifts' host tasks, and the order of ``reconcile()`` calls and stops.
    private struct Hosting {
        var running: [String: Task<Void, Never>] = [:]
        /// Reconciles begun (each takes the next number before it reads the gifts).
        var tickets = 0
        /// The latest reconcile that applied what it read.
        var applied = 0
        /// Reconciles begun before the latest ``stop()``, which apply nothing.
        var stoppedAt = 0
    }

    let source: any GiftSource
    let onEvent: @Sendable (Event) -> Void
    private let hosting = Mutex(Hosting())
    private let online = Mutex<Set<String>>([])
    private let replays = ReplayGuard()

    public init(source: any GiftSource, onEvent: @escaping @Sendable (Event) -> Void = { _ in }) {
        self.source = source
        self.onEvent = onEvent
    }

    /// Hosts a wallet's own gifts, as their primary sender.
    public convenience init(
        wallet: Wallet,
        engine: ProxyEngine,
        onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.init(source: WalletGiftSource(wallet: wallet, engine: engine), onEvent: onEvent)
    }

    /// The gifts being hosted now.
    public var hostedGiftIDs: Set<String> { hosting.withLock { Set($0.running.keys) } }

    /// The gifts whose relay room this host holds right now (receivers can reach them).
    public var onlineGiftIDs: Set<String> { online.withLock { $0 } }

    /// Starts hosting gifts that should be hosted and stops the rest; call after any change to
    /// the gifts (the daemon calls it on start and when the CLI reports a change).
    ///
    /// Calls may overlap (the start's and a change's): each applies the gifts it read only when
    /// no call that read later has applied its own and no ``stop()`` came after its read, and
    /// starts a gift's host only when none runs, all under one lock. So a gift never gets two
    /// hosts (the one not kept would serve on, out of reach of ``stop()``), an older read never
    /// undoes a newer one, and nothing starts after a stop (a locked wallet).
    public func reconcile() async {
        let ticket = hosting.withLock { hosting in
            hosting.tickets += 1
            return hosting.tickets
        }
        guard let gifts = await source.giftsToHost() else { return }
        let now = source.now()
        let wanted = Dictionary(
            gifts.filter { gift in
                let ended = min(gift.revokedAt ?? .max, gift.expiresAt)
                return ended > now - Self.lingering
            }.map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first }
        )
        let stale: [Task<Void, Never>] = hosting.withLock { hosting in
            guard ticket > hosting.applied, ticket > hosting.stoppedAt else { return [] }
            hosting.applied = ticket
            let gone = hosting.running.keys.filter { wanted[$0] == nil }
            let stale = gone.compactMap { hosting.running.removeValue(forKey: $0) }
            for (id, gift) in wanted where hosting.running[id] == nil {
                hosting.running[id] = Task { await self.host(gift) }
            }
            return stale
        }
        for task in stale { task.cancel() }
    }

    /// Stops hosting every gift; a ``reconcile()`` that read the gifts before the stop starts none.
    public func stop() {
        let tasks = hosting.withLock { hosting in
            hosting.stoppedAt = hosting.tickets
            defer { hosting.running.removeAll() }
            return Array(hosting.running.values)
        }
        for task in tasks { task.cancel() }
    }

    /// Keeps one gift's room served until cancelled.
    private func host(_ gift: GiftRecord) async {
        var delay = Duration.seconds(1)
        var attempts = 0
        while !Task.isCancelled {
            let reason: String
            do {
                let secrets = try await source.hostingSecrets(of: gift)
                let socket = RelaySenderSocket(
                    url: gift.relayURL,
                    auth: .auth(
                        roomID: gift.roomID,
                        authToken: secrets.token.exposedValue,
                        role: .sender,
                        priority: source.senderPriority,
                        senderKey: secrets.senderKey.exposedValue
                    )
                )
                let connection = RelayRoomConnection(
                    socket: socket,
                    opener: SealedRequestServer(
                        privateKey: secrets.privateKey,
                        roomID: gift.roomID,
                        presharedKey: nil,
                        replays: replays
                    ),
                    plainRefusal: ByokyError(.giftAuthFailed, "This gift takes only end-to-end encrypted requests")
                )
                let outcome = try await connection.run(
                    onJoined: { send in
                        self.online.withLock { _ = $0.insert(gift.id) }
                        self.onEvent(.online(giftID: gift.id))
                        // The room's other sender (if any) learns what this one has counted.
                        Task {
                            guard let current = try? await self.source.currentGift(gift.id) else { return }
                            send(.usage(giftID: gift.id, usedTokens: current.usedTokens))
                        }
                    },
                    onFrame: { frame, send in
                        // Another sender of the room (the wallet, or a vault) reports its total;
                        // one that is behind hears this host's, so both end at the larger.
                        guard case .usage(let giftID, let used) = frame, giftID == gift.id else { return }
                        Task {
                            await self.source.recordUsage(giftID: giftID, usedTokens: used)
                            if let current = try? await self.source.currentGift(giftID), current.usedTokens > used {
                                send(.usage(giftID: giftID, usedTokens: current.usedTokens))
                            }
                        }
                    },
                    serve: { request, send, reply in
                        await self.serve(request, gift: gift, send: send, sendSealed: reply)
                    }
                )
                switch outcome {
                case .refused(let why):
                    reason = why
                case .closed:
                    reason = "the relay connection closed"
                    delay = .seconds(1)
                }
            } catch {
                reason = "the relay could not be reached"
            }
            // Reported when the gift goes offline, and on the first failure; not on every retry.
            let wasOnline = online.withLock { $0.remove(gift.id) != nil }
            if wasOnline || attempts == 0 { onEvent(.offline(giftID: gift.id, reason: reason)) }
            attempts += 1
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(30))
        }
    }

    /// Serves one opened request with the gift, sealing every answer frame back.
    private func serve(
        _ request: RelayRequest,
        gift hosted: GiftRecord,
        send: @escaping @Sendable (RelayMessage) -> Void,
        sendSealed: @escaping @Sendable (RelayMessage) -> Void
    ) async {
        let settled = Mutex<Int?>(nil)
        do {
            let gift = try await source.currentGift(hosted.id)
            let giftID = gift.id
            let source = self.source
            let response = await source.serve(try RelayResponder.proxyRequest(from: request), gift: gift) { used in
                settled.withLock { $0 = used }
                Task {
                    await source.recordUsage(giftID: giftID, usedTokens: used)
                    send(.usage(giftID: giftID, usedTokens: used))
                }
            }
            try await RelayResponder.stream(response, requestID: request.requestID, send: sendSealed)
            onEvent(.served(giftID: gift.id, status: response.status, usedTokens: settled.withLock { $0 }))
        } catch {
            sendSealed(RelayResponder.errorFrame(requestID: request.requestID, error))
        }
    }
}
