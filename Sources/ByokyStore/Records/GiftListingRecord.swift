/// A gift this wallet put on a token marketplace's public board.
public struct GiftListingRecord: Sendable, Hashable, Codable {
    public var giftID: String
    /// The marketplace's base URL (`https://…`, or `http://` on this machine).
    public var marketplaceURL: String
    /// The token that manages the listing (unlist, usage, heartbeats), sealed under the data key.
    public var sealedManagementToken: String
    /// The display name shown on the board ("Anonymous" when the giver chose so).
    public var displayName: String
    public var listedAt: Int64
    /// The usage last reported to the board.
    public var reportedTokens: Int
    public var unlistedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case giftID = "gift_id"
        case marketplaceURL = "marketplace_url"
        case sealedManagementToken = "sealed_management_token"
        case displayName = "display_name"
        case listedAt = "listed_at"
        case reportedTokens = "reported_tokens"
        case unlistedAt = "unlisted_at"
    }

    public init(
        giftID: String,
        marketplaceURL: String,
        sealedManagementToken: String,
        displayName: String,
        listedAt: Int64,
        reportedTokens: Int = 0,
        unlistedAt: Int64? = nil
    ) {
        self.giftID = giftID
        self.marketplaceURL = marketplaceURL
        self.sealedManagementToken = sealedManagementToken
        self.displayName = displayName
        self.listedAt = listedAt
        self.reportedTokens = reportedTokens
        self.unlistedAt = unlistedAt
    }
}
