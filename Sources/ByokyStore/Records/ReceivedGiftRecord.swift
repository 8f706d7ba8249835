public import ByokyCore

/// A gift this wallet received: a link to spend someone else's budget through a relay.
public struct ReceivedGiftRecord: Sendable, Hashable, Codable, Identifiable {
    /// The gift's id (the giver's).
    public var id: String
    public var provider: ProviderID
    public var senderLabel: String
    public var relayURL: String
    /// The relay room: the gift id for an original (v1) gift, `v2_…` for ours.
    public var roomID: String
    /// The giver's X25519 public key (v2); `nil` for a v1 gift, whose frames are not sealed.
    public var publicKey: String?
    /// The link's token, sealed under the data key.
    public var sealedToken: String
    public var maxTokens: Int
    /// As last reported by the giver.
    public var usedTokens: Int
    public var expiresAt: Int64
    public var createdAt: Int64
    /// Why the gift stopped working (`GIFT_EXPIRED`, `GIFT_REVOKED`), as the giver said.
    public var endedReason: GiftEndReason?

    enum CodingKeys: String, CodingKey {
        case id, provider
        case senderLabel = "sender_label"
        case relayURL = "relay_url"
        case roomID = "room_id"
        case publicKey = "public_key"
        case sealedToken = "sealed_token"
        case maxTokens = "max_tokens"
        case usedTokens = "used_tokens"
        case expiresAt = "expires_at"
        case createdAt = "created_at"
        case endedReason = "ended_reason"
    }

    public init(
        id: String,
        provider: ProviderID,
        senderLabel: String,
        relayURL: String,
        roomID: String,
        publicKey: String?,
        sealedToken: String,
        maxTokens: Int,
        usedTokens: Int = 0,
        expiresAt: Int64,
        createdAt: Int64,
        endedReason: GiftEndReason? = nil
    ) {
        self.id = id
        self.provider = provider
        self.senderLabel = senderLabel
        self.relayURL = relayURL
        self.roomID = roomID
        self.publicKey = publicKey
        self.sealedToken = sealedToken
        self.maxTokens = maxTokens
        self.usedTokens = usedTokens
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.endedReason = endedReason
    }
}
