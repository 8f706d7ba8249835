/// A key synced to a vault account: its secret sealed under the account's data key (associated
/// data `vault-credential:<id>`), or a tombstone (`deletedAt` set, no secret).
public struct VaultCredential: Codable, Sendable, Hashable {
    public let id: String
    public let userID: String
    public let provider: String
    public let label: String
    public let baseURL: String?
    public let sealedSecret: String?
    public let maskedSecret: String?
    public let updatedAt: Int64
    public let deletedAt: Int64?
    /// `api_key` or `oauth`; `nil` (older rows) means `api_key`.
    public var authMethod: String?

    enum CodingKeys: String, CodingKey {
        case id, provider, label
        case userID = "user_id"
        case baseURL = "base_url"
        case sealedSecret = "sealed_secret"
        case maskedSecret = "masked_secret"
        case updatedAt = "updated_at"
        case deletedAt = "deleted_at"
        case authMethod = "auth_method"
    }

    public init(
        id: String,
        userID: String,
        provider: String,
        label: String,
        baseURL: String?,
        sealedSecret: String?,
        maskedSecret: String?,
        updatedAt: Int64,
        deletedAt: Int64?,
        authMethod: String? = nil
    ) {
        self.authMethod = authMethod
        self.id = id
        self.userID = userID
        self.provider = provider
        self.label = label
        self.baseURL = baseURL
        self.sealedSecret = sealedSecret
        self.maskedSecret = maskedSecret
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}
