import ByokyCore
import ByokyStore
import ByokyWallet

/// One served gift as the proxy engine sees it for one request: its single key (uploaded for the
/// gift), and the owner's request log. It holds no sessions, routing or caps: a gift request
/// answers to the gift's own budget and expiry only.
struct VaultGiftHolder: ProxyKeyHolder {
    let now: @Sendable () -> Int64
    let proxyRecords: any ProxyRecords
    private let credential: CredentialRecord?
    private let apiKey: SecretString?

    init(
        gift: VaultGift,
        credentialID: String,
        secrets: VaultGiftUpload.Secrets,
        records: any ProxyRecords,
        now: @escaping @Sendable () -> Int64
    ) {
        self.now = now
        proxyRecords = records
        apiKey = SecretString(secrets.apiKey)
        credential = CredentialRecord(
            id: credentialID,
            provider: ProviderID(gift.provider),
            label: "gift \(gift.id.prefix(8))",
            authMethod: AuthMethod(rawValue: secrets.authMethod) ?? .apiKey,
            sealedSecret: "",
            maskedSecret: maskKey(secrets.apiKey),
            baseURL: secrets.baseUrl,
            createdAt: gift.createdAt
        )
    }

    private init(now: @escaping @Sendable () -> Int64) {
        self.now = now
        proxyRecords = NoRecords()
        credential = nil
        apiKey = nil
    }

    /// A holder with no key (the gift's row or secrets could not be read): the engine answers
    /// `PROVIDER_UNAVAILABLE` in the provider's format.
    static func unavailable(now: @escaping @Sendable () -> Int64) -> VaultGiftHolder {
        VaultGiftHolder(now: now)
    }

    func authenticate(sessionKey: String) async throws -> SessionRecord {
        throw ByokyError(.unauthorized, "A served gift takes no session keys")
    }

    func group(forApp app: String) async throws -> GroupRecord? { nil }

    func credentials() async throws -> [CredentialRecord] { credential.map { [$0] } ?? [] }

    func allowances(forApp app: String) async throws -> [AllowanceRecord] { [] }

    func secret(of credential: CredentialRecord) throws -> SecretString {
        guard let apiKey, credential.id == self.credential?.id else {
            throw ByokyError(.providerUnavailable, "This gift's key is not here")
        }
        return apiKey
    }

    func receivedGifts() async throws -> [ReceivedGiftRecord] { [] }

    func token(of gift: ReceivedGiftRecord) throws -> SecretString {
        throw ByokyError(.providerUnavailable, "A served gift holds no received gifts")
    }

    func noteReceivedGift(id: String, usedTokens: Int?, endedReason: GiftEndReason?) async {}
}

/// Writes nothing (a request that could not be served has no account to log to).
private struct NoRecords: ProxyRecords {
    func tokensUsed(app: String, provider: String, since: Int64) async throws -> Int { 0 }
    func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void) { onWritten() }
    func touchCredential(id: String, at time: Int64) async throws {}
}
