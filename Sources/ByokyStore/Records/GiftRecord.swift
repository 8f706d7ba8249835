public import ByokyCore

/// A gift this wallet gives: a token budget on one of its credentials, served through a relay.
///
/// Secrets (the sender key that proves the relay room, the recipients' token and the private key
/// requests are sealed to) are sealed under the data key like credentials.
public struct GiftRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var credentialID: String
    public var provider: ProviderID
    /// The giver's name as the receiver sees it.
    public var label: String
    public var relayURL: String
    /// The version 2 relay room (derived from the sender key).
    public var roomID: String
    public var sealedSenderKey: String
    public var sealedToken: String
    public var sealedPrivateKey: String
    /// The X25519 public key the link carries (base64url).
    public var publicKey: String
    public var maxTokens: Int
    public var usedTokens: Int
    /// Unix milliseconds.
    public var expiresAt: Int64
    public var createdAt: Int64
    public var revokedAt: Int64?
    /// The owner had the vault serve it while this wallet is offline (the vault holds its secrets).
    public var servedByVault: Bool

    enum CodingKeys: String, CodingKey {
        case id, provider, label
        case credentialID = "credential_id"
        case relayURL = "relay_url"
        case roomID = "room_id"
        case sealedSenderKey = "sealed_sender_key"
        case sealedToken = "sealed_token"
        case sealedPrivateKey = "sealed_private_key"
        case publicKey = "public_key"
        case maxTokens = "max_tokens"
        case usedTokens = "used_tokens"
        case expiresAt = "expires_at"
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
        case servedByVault = "served_by_vault"
    }

    public init(
        id: String,
        credentialID: String,
        provider: ProviderID,
        label: String,
        relayURL: String,
        roomID: String,
        sealedSenderKey: String,
        sealedToken: String,
        sealedPrivateKey: String,
        publicKey: String,
        maxTokens: Int,
        usedTokens: Int = 0,
        expiresAt: Int64,
        createdAt: Int64,
        revokedAt: Int64? = nil,
        servedByVault: Bool = false
    ) {
        self.id = id
        self.credentialID = credentialID
        self.provider = provider
        self.label = label
        self.relayURL = relayURL
        self.roomID = roomID
        self.sealedSenderKey = sealedSenderKey
        self.sealedToken = sealedToken
        self.sealedPrivateKey = sealedPrivateKey
        self.publicKey = publicKey
        self.maxTokens = maxTokens
        self.usedTokens = usedTokens
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.revokedAt = revokedAt
        self.servedByVault = servedByVault
    }
}
