/// A gift as a token marketplace's board lists it (`GET /gifts`): never its link (that takes a
/// redemption, rate limited). The board writes it; wallets read it.
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
    /// Whether the giver's wallet sent a heartbeat within the board's online window.
    public let online: Bool

    public init(
        id: String,
        providerId: String,
        providerName: String,
        gifterName: String,
        tokenBudget: Int,
        tokensUsed: Int,
        tokensRemaining: Int,
        expiresAt: Int64,
        listedAt: Int64,
        lastSeenAt: Int64,
        online: Bool
    ) {
        self.id = id
        self.providerId = providerId
        self.providerName = providerName
        self.gifterName = gifterName
        self.tokenBudget = tokenBudget
        self.tokensUsed = tokensUsed
        self.tokensRemaining = tokensRemaining
        self.expiresAt = expiresAt
        self.listedAt = listedAt
        self.lastSeenAt = lastSeenAt
        self.online = online
    }
}

/// `GET /gifts`: a page of usable gifts, and the ones that ended.
public struct BoardListing: Codable, Sendable, Hashable {
    public let active: [BoardItem]
    /// Expired or used up (the newest 50, on the first page only).
    public let expired: [BoardItem]
    public let limit: Int
    public let offset: Int

    public init(active: [BoardItem], expired: [BoardItem], limit: Int, offset: Int) {
        self.active = active
        self.expired = expired
        self.limit = limit
        self.offset = offset
    }
}
