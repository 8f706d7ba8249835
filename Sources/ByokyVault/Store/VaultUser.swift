import ByokyCore

/// A vault account. The password itself is never stored: ``wrappedDataKey`` (the account's data
/// key sealed under a PBKDF2 key of the password) opens only with it, which is the check.
public struct VaultUser: Codable, Sendable, Hashable {
    public let id: String
    public let username: String
    /// ``WrappedDataKey`` as JSON: derivation parameters and the sealed key.
    public let wrappedDataKey: String
    public let createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, username
        case wrappedDataKey = "wrapped_data_key"
        case createdAt = "created_at"
    }

    public init(id: String, username: String, wrappedDataKey: String, createdAt: Int64) {
        self.id = id
        self.username = username
        self.wrappedDataKey = wrappedDataKey
        self.createdAt = createdAt
    }
}

/// A login: only the SHA-256 of its token is kept.
public struct LoginSession: Codable, Sendable, Hashable {
    public let id: String
    public let userID: String
    public let tokenHash: String
    public let createdAt: Int64
    public let expiresAt: Int64
    /// The account's data key sealed under this login's token (``TokenSealedKey``).
    public let sealedDataKey: String?

    enum CodingKeys: String, CodingKey {
        case id
        case userID = "user_id"
        case tokenHash = "token_hash"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case sealedDataKey = "sealed_data_key"
    }

    public init(
        id: String,
        userID: String,
        tokenHash: String,
        createdAt: Int64,
        expiresAt: Int64,
        sealedDataKey: String?
    ) {
        self.id = id
        self.userID = userID
        self.tokenHash = tokenHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.sealedDataKey = sealedDataKey
    }
}
