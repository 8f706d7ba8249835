import ByokyCore

extension BoardItem {
    /// A listed gift as the board shows it at `now`.
    init(_ gift: ListedGift, now: Int64, onlineWindow: Int64) {
        self.init(
            id: gift.id,
            providerId: gift.provider,
            providerName: ProviderRegistry.displayName(of: ProviderID(gift.provider)),
            gifterName: gift.gifterName,
            tokenBudget: gift.tokenBudget,
            tokensUsed: gift.tokensUsed,
            tokensRemaining: gift.tokensRemaining,
            expiresAt: gift.expiresAt,
            listedAt: gift.listedAt,
            lastSeenAt: gift.lastSeenAt,
            online: gift.isActive(now: now) && now - gift.lastSeenAt < onlineWindow
        )
    }
}
