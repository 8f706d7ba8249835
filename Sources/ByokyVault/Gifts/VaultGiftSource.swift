import ByokyCore
import ByokyRelayHost
import ByokyStore
import ByokyWallet
import Synchronization

/// The gifts a vault serves, as a ``GiftSource``: every account's opted-in gifts, held as the
/// rooms' fallback sender (priority 0, so the relay sends requests here only while the giving
/// wallet is offline), served with the key uploaded for the gift, the budget counted in the
/// database and the requests written to the owner's request log.
final class VaultGiftSource: GiftSource {
    let store: VaultStore
    let giftKey: GiftKey
    let httpClient: UpstreamClient
    let configuration: VaultConfiguration
    /// Gifts' reservations, shared by every request this instance serves.
    private let state = ProxyEngine.State(usageLogIsShared: true)
    /// Each gift's row as ``currentGift(_:)`` last read it: the host reads the gift just before it
    /// serves a request, so serving takes the row from here instead of reading it again.
    private let lastRead = Mutex<[String: VaultGift]>([:])

    init(store: VaultStore, giftKey: GiftKey, httpClient: UpstreamClient, configuration: VaultConfiguration) {
        self.store = store
        self.giftKey = giftKey
        self.httpClient = httpClient
        self.configuration = configuration
    }

    var senderPriority: Int { 0 }

    func now() -> Int64 { configuration.clock() }

    func giftsToHost() async -> [GiftRecord]? {
        try? await store.giftsNotEnded(before: now() - GiftHost.lingering).map(\.record)
    }

    func hostingSecrets(of gift: GiftRecord) async throws -> GiftHostingSecrets {
        let secrets = try await secrets(of: try await row(gift.id))
        return GiftHostingSecrets(
            senderKey: SecretString(secrets.senderKey),
            token: SecretString(secrets.authToken),
            privateKey: SecretString(secrets.privateKey)
        )
    }

    func currentGift(_ id: String) async throws -> GiftRecord {
        do {
            let row = try await row(id)
            lastRead.withLock { $0[id] = row }
            return row.record
        } catch {
            lastRead.withLock { _ = $0.removeValue(forKey: id) }
            throw error
        }
    }

    func serve(
        _ request: ProxyRequest,
        gift: GiftRecord,
        onSettled: @escaping @Sendable (Int) -> Void
    ) async -> ProxyResponse {
        let holder: VaultGiftHolder
        do {
            let row: VaultGift
            if let cached = lastRead.withLock({ $0[gift.id] }) {
                row = cached
            } else {
                row = try await self.row(gift.id)
            }
            holder = VaultGiftHolder(
                gift: row,
                credentialID: gift.credentialID,
                secrets: try await secrets(of: row),
                records: VaultProxyRecords(store: store, userID: row.userID),
                now: configuration.clock
            )
        } catch {
            holder = VaultGiftHolder.unavailable(now: configuration.clock)
        }
        return await ProxyEngine(
            holder: holder,
            httpClient: httpClient,
            configuration: configuration.proxy,
            state: state
        ).serveGift(request, gift: gift, onSettled: onSettled)
    }

    func recordUsage(giftID: String, usedTokens: Int) async {
        try? await store.raiseGiftUsage(id: giftID, to: usedTokens)
    }

    /// Forgets gifts that ended longer ago than they linger (their secrets with them).
    func forgetEndedGifts() async {
        try? await store.deleteGifts(endedBefore: now() - GiftHost.lingering)
        lastRead.withLock { $0.removeAll() }
    }

    private func row(_ id: String) async throws -> VaultGift {
        guard let row = try await store.gift(id) else {
            // The owner turned vault serving off: only the wallet serves this gift now.
            throw ByokyError(.giftSenderOffline, "The giver's wallet is offline")
        }
        return row
    }

    private func secrets(of row: VaultGift) async throws -> VaultGiftUpload.Secrets {
        try giftKey.open(row.sealedSecrets, giftID: row.id, userID: row.userID)
    }
}

extension VaultGift {
    /// The gift as a gift host knows gifts (its secrets stay sealed in the row).
    var record: GiftRecord {
        GiftRecord(
            id: id,
            credentialID: "vault-gift-\(id)",
            provider: ProviderID(provider),
            label: label,
            relayURL: relayURL,
            roomID: roomID,
            sealedSenderKey: "",
            sealedToken: "",
            sealedPrivateKey: "",
            publicKey: "",
            maxTokens: maxTokens,
            usedTokens: usedTokens,
            expiresAt: expiresAt,
            createdAt: createdAt,
            revokedAt: revokedAt
        )
    }
}
