public import ByokyCore

/// An app's session. The key itself is never stored, only its SHA-256.
public struct SessionRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// Hex SHA-256 of the session key.
    public var keyHash: String
    public var appName: String
    /// The web origin the session is bound to, if any.
    public var appOrigin: String?
    /// Comma-separated provider ids the owner granted.
    public var providers: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var revokedAt: Int64?

    enum CodingKeys: String, CodingKey {
        case id, providers
        case keyHash = "key_hash"
        case appName = "app_name"
        case appOrigin = "app_origin"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
    }

    public init(
        id: String,
        keyHash: String,
        appName: String,
        appOrigin: String?,
        providers: String,
        createdAt: Int64,
        expiresAt: Int64,
        revokedAt: Int64? = nil
    ) {
        self.id = id
        self.keyHash = keyHash
        self.appName = appName
        self.appOrigin = appOrigin
        self.providers = providers
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    /// The granted providers.
    public var providerIDs: [ProviderID] { ProviderList.ids(in: providers) }
}
