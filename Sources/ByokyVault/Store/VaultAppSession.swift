/// An app's session on a vault account. The key itself is never stored, only its SHA-256; the
/// account's data key is kept sealed under the key (see `TokenSealedKey`).
public struct VaultAppSession: Codable, Sendable, Hashable {
    public let id: String
    public let userID: String
    public let tokenHash: String
    public let appName: String
    /// The web origin the session is bound to; `nil` for a program's session.
    public let appOrigin: String?
    /// Comma-separated granted provider ids.
    public let providers: String
    public let sealedDataKey: String
    public let createdAt: Int64
    public let expiresAt: Int64
    public let revokedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, providers
        case userID = "user_id"
        case tokenHash = "token_hash"
        case appName = "app_name"
        case appOrigin = "app_origin"
        case sealedDataKey = "sealed_data_key"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }

    public init(
        id: String,
        userID: String,
        tokenHash: String,
        appName: String,
        appOrigin: String?,
        providers: String,
        sealedDataKey: String,
        createdAt: Int64,
        expiresAt: Int64,
        revokedAt: Int64? = nil
    ) {
        self.id = id
        self.userID = userID
        self.tokenHash = tokenHash
        self.appName = appName
        self.appOrigin = appOrigin
        self.providers = providers
        self.sealedDataKey = sealedDataKey
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}
