import ByokyCore
public import ByokyStore

/// A gift given, as listings show it (`byoky gift list --json`, the control socket): no secrets.
public struct GiftSummary: Codable, Sendable, Hashable {
    public let id: String
    public let provider: String
    public let label: String
    public let maxTokens: Int
    public let usedTokens: Int
    public let remainingTokens: Int
    public let expiresAt: Int64
    /// `active`, `expired`, `revoked` or `used up`.
    public let status: String
    /// Whether the running wallet holds the gift's relay room now (`nil`: not known).
    public let online: Bool?
    /// The shareable link, when asked for.
    public let link: String?
    /// The owner has the vault serve it while this wallet is offline.
    public let servedByVault: Bool

    public init(_ gift: GiftRecord, now: Int64, online: Set<String>? = nil, link: String? = nil) {
        id = gift.id
        provider = gift.provider.rawValue
        label = gift.label
        maxTokens = gift.maxTokens
        usedTokens = gift.usedTokens
        remainingTokens = GiftBudget.remaining(used: gift.usedTokens, max: gift.maxTokens)
        expiresAt = gift.expiresAt
        status =
            gift.revokedAt != nil
            ? "revoked"
            : GiftBudget.isExpired(expiresAt: gift.expiresAt, now: now)
                ? "expired" : GiftBudget.isExhausted(used: gift.usedTokens, max: gift.maxTokens) ? "used up" : "active"
        self.online = online.map { $0.contains(gift.id) }
        self.link = link
        servedByVault = gift.servedByVault
    }
}

/// A gift received, as listings show it: no token.
public struct ReceivedGiftSummary: Codable, Sendable, Hashable {
    public let id: String
    public let provider: String
    public let from: String
    public let maxTokens: Int
    public let usedTokens: Int
    public let expiresAt: Int64
    /// `active`, `expired`, `revoked` or `used up`.
    public let status: String

    public init(_ gift: ReceivedGiftRecord, now: Int64) {
        id = gift.id
        provider = gift.provider.rawValue
        from = gift.senderLabel
        maxTokens = gift.maxTokens
        usedTokens = gift.usedTokens
        expiresAt = gift.expiresAt
        status =
            gift.endedReason.map { $0 == .revoked ? "revoked" : "expired" }
            ?? (GiftBudget.isExpired(expiresAt: gift.expiresAt, now: now)
                ? "expired" : GiftBudget.isExhausted(used: gift.usedTokens, max: gift.maxTokens) ? "used up" : "active")
    }
}

/// What `byoky gift create` asks a running wallet to make (the control socket's `POST /gifts`).
public struct GiftCreationRequest: Codable, Sendable, Hashable {
    /// The credential's label or id.
    public let key: String
    public let budget: Int
    /// Milliseconds.
    public let lifetime: Int64
    public let relayURL: String
    public let label: String?

    public init(key: String, budget: Int, lifetime: Int64, relayURL: String, label: String?) {
        self.key = key
        self.budget = budget
        self.lifetime = lifetime
        self.relayURL = relayURL
        self.label = label
    }
}
