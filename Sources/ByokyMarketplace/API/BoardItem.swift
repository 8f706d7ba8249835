import ByokyCore

/// A gift as the board shows it: never its link (that takes a redemption, rate limited).
public struct BoardItem: Codable, Sendable, Hashable {
    public let id: String
    public let providerId: String
    public let providerName: String
    public let gifterName: String
    public let tokenBudget: Int
    public let tokensUsed: Int
    public let tokensRemaining: Int
    public let expiresAt: Int64
    public let listedAt: Int64
    public let lastSeenAt: Int64
    /// Whether the giver's wallet sent a heartbeat within the online window.
    public let online: Bool

    init(_ gift: ListedGift, now: Int64, onlineWindow: Int64) {
        id = gift.id
        providerId = gift.provider
        providerName = ProviderRegistry.displayName(of: ProviderID(gift.provider))
        gifterName = gift.gifterName
        tokenBudget = gift.tokenBudget
        tokensUsed = gift.tokensUsed
        tokensRemaining = gift.tokensRemaining
        expiresAt = gift.expiresAt
        listedAt = gift.listedAt
        lastSeenAt = gift.lastSeenAt
        online = gift.isActive(now: now) && now - gift.lastSeenAt < onlineWindow
    }
}

/// `GET /gifts`: a page of usable gifts, and the ones that ended.
public struct BoardListing: Codable, Sendable, Hashable {
    public let active: [BoardItem]
    /// Expired or used up (the newest 50).
    public let expired: [BoardItem]
    public let limit: Int
    public let offset: Int
}
