/// A gift on the board: what its giver listed, and what the marketplace tracked since.
public struct ListedGift: Codable, Sendable, Hashable {
    public var id: String
    public var provider: String
    /// The name the giver chose to show ("Anonymous" when none).
    public var gifterName: String
    /// The gift's link (version 2: the receivers' token, no giver secret); only redemption hands it out.
    public var giftLink: String
    public var relayURL: String
    public var tokenBudget: Int
    public var tokensUsed: Int
    /// Unix ms.
    public var expiresAt: Int64
    public var listedAt: Int64
    /// The giver's last heartbeat (Unix ms).
    public var lastSeenAt: Int64
    public var unlisted: Bool
    /// SHA-256 (hex) of the management token; the token itself is shown once, never stored.
    public var managementTokenHash: String

    enum CodingKeys: String, CodingKey {
        case id
        case provider
        case gifterName = "gifter_name"
        case giftLink = "gift_link"
        case relayURL = "relay_url"
        case tokenBudget = "token_budget"
        case tokensUsed = "tokens_used"
        case expiresAt = "expires_at"
        case listedAt = "listed_at"
        case lastSeenAt = "last_seen_at"
        case unlisted
        case managementTokenHash = "management_token_hash"
    }

    public var tokensRemaining: Int { max(0, tokenBudget - tokensUsed) }

    /// Whether the gift can still be redeemed and used at `now`.
    public func isActive(now: Int64) -> Bool {
        !unlisted && expiresAt > now && tokensUsed < tokenBudget
    }
}
