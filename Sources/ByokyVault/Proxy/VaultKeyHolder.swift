import ByokyCore
import ByokyStore
import ByokyWallet
import Crypto
import Foundation
import Synchronization

/// One vault account as the proxy engine sees it for one app request: the app's session, the
/// account's synced keys (opened with the data key the app's own token unsealed) and routing,
/// and the account's request log.
final class VaultKeyHolder: ProxyKeyHolder {
    let now: @Sendable () -> Int64
    let proxyRecords: any ProxyRecords
    private let store: VaultStore
    private let session: VaultAppSession
    private let dataKey: SymmetricKey
    /// Read once per request, on first use.
    private let loaded = Mutex<(routing: VaultRouting?, credentials: [CredentialRecord]?)>((nil, nil))

    init(store: VaultStore, session: VaultAppSession, dataKey: SymmetricKey, now: @escaping @Sendable () -> Int64) {
        self.store = store
        self.session = session
        self.dataKey = dataKey
        self.now = now
        proxyRecords = VaultProxyRecords(store: store, userID: session.userID)
    }

    /// The session this holder was made for (the vault looked it up by the key's hash already).
    func authenticate(sessionKey: String) async throws -> SessionRecord {
        guard ConstantTime.equals(SecureHash.sha256Hex(sessionKey), session.tokenHash) else {
            throw ByokyError(.unauthorized, "Invalid session key")
        }
        return session.record
    }

    func group(forApp app: String) async throws -> GroupRecord? {
        try await routing().group(forApp: app)
    }

    func credentials() async throws -> [CredentialRecord] {
        if let cached = loaded.withLock({ $0.credentials }) { return cached }
        let records = try await store.credentials(of: session.userID).compactMap(\.record)
        loaded.withLock { $0.credentials = records }
        return records
    }

    func allowances(forApp app: String) async throws -> [AllowanceRecord] {
        try await routing().limits.filter { $0.app == app }.compactMap { limit in
            AllowancePeriod(rawValue: limit.period).map {
                AllowanceRecord(appName: limit.app, provider: limit.provider, period: $0, tokenLimit: limit.tokens)
            }
        }
    }

    func secret(of credential: CredentialRecord) throws -> SecretString {
        guard let sealed = Base64.decode(credential.sealedSecret),
            let plain = try? SecretBox.open(sealed, using: dataKey, authenticating: VaultKeys.data(credential.id))
        else { throw ByokyError(.decryptFailed, "The synced key \"\(credential.label)\" could not be opened") }
        return SecretString(String(decoding: plain, as: UTF8.self))
    }

    /// A vault holds no received gifts: they live in the wallet that redeemed them.
    func receivedGifts() async throws -> [ReceivedGiftRecord] { [] }

    func token(of gift: ReceivedGiftRecord) throws -> SecretString {
        throw ByokyError(.providerUnavailable, "A vault holds no received gifts")
    }

    func noteReceivedGift(id: String, usedTokens: Int?, endedReason: GiftEndReason?) async {}

    private func routing() async throws -> VaultRouting {
        if let cached = loaded.withLock({ $0.routing }) { return cached }
        let routing = try await store.routing(of: session.userID)
        loaded.withLock { $0.routing = routing }
        return routing
    }
}

extension VaultAppSession {
    /// The session as the proxy engine knows sessions.
    var record: SessionRecord {
        SessionRecord(
            id: id,
            keyHash: tokenHash,
            appName: appName,
            appOrigin: appOrigin,
            providers: providers,
            createdAt: createdAt,
            expiresAt: expiresAt,
            revokedAt: revokedAt
        )
    }
}

extension VaultCredential {
    /// A live synced key as the proxy engine knows keys (`nil` for a tombstone).
    var record: CredentialRecord? {
        guard deletedAt == nil, let sealedSecret else { return nil }
        return CredentialRecord(
            id: id,
            provider: ProviderID(provider),
            label: label,
            authMethod: authMethod.flatMap(AuthMethod.init(rawValue:)) ?? .apiKey,
            sealedSecret: sealedSecret,
            maskedSecret: maskedSecret ?? "****",
            baseURL: baseURL,
            createdAt: updatedAt
        )
    }
}
