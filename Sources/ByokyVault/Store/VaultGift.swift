/// A gift a vault serves for its owner: what the room and the budget need, and the secrets
/// (provider key, room sender key, recipients' token, sealing private key) sealed under the
/// operator's gift key (see ``GiftKey``).
public struct VaultGift: Codable, Sendable, Hashable {
    public let id: String
    public let userID: String
    public let provider: String
    public let label: String
    public let relayURL: String
    public let roomID: String
    public let maxTokens: Int
    public let usedTokens: Int
    public let expiresAt: Int64
    public let revokedAt: Int64?
    public let sealedSecrets: String
    public let createdAt: Int64
    public let updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, provider, label
        case userID = "user_id"
        case relayURL = "relay_url"
        case roomID = "room_id"
        case maxTokens = "max_tokens"
        case usedTokens = "used_tokens"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case sealedSecrets = "sealed_secrets"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: String,
        userID: String,
        provider: String,
        label: String,
        relayURL: String,
        roomID: String,
        maxTokens: Int,
        usedTokens: Int,
        expiresAt: Int64,
        revokedAt: Int64?,
        sealedSecrets: String,
        createdAt: Int64,
        updatedAt: Int64
    ) {
        self.id = id
        self.userID = userID
        self.provider = provider
        self.label = label
        self.relayURL = relayURL
        self.roomID = roomID
        self.maxTokens = maxTokens
        self.usedTokens = usedTokens
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.sealedSecrets = sealedSecrets
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
