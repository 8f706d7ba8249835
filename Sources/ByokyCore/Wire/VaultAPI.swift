/// A key a wallet uploads to its vault account (`PUT /credentials/{id}`): the id is the wallet's,
/// so every device names a key the same way; `updatedAt` decides between versions (the later wins).
public struct VaultCredentialUpload: Codable, Sendable, Hashable {
    public var provider: String
    public var label: String
    public var secret: String
    public var baseUrl: String?
    public var updatedAt: Int64
    /// `api_key` (when left out) or `oauth`.
    public var authMethod: String?

    public init(
        provider: String,
        label: String,
        secret: String,
        baseUrl: String?,
        updatedAt: Int64,
        authMethod: String? = nil
    ) {
        self.authMethod = authMethod
        self.provider = provider
        self.label = label
        self.secret = secret
        self.baseUrl = baseUrl
        self.updatedAt = updatedAt
    }
}

/// What a write did: `applied` is `false` when the vault holds a later version (a conflict the
/// client reports; its copy did not replace the vault's).
public struct VaultCredentialWrite: Codable, Sendable, Hashable {
    public let id: String
    public let applied: Bool
    public let updatedAt: Int64

    public init(id: String, applied: Bool, updatedAt: Int64) {
        self.id = id
        self.applied = applied
        self.updatedAt = updatedAt
    }
}

/// A key in the vault as listings show it: masked in `GET /credentials`; with its `secret` in
/// `GET /credentials/sync` (the owner pulling into a wallet). A removed key is a tombstone:
/// `deletedAt` set, no secret.
public struct VaultCredentialItem: Codable, Sendable, Hashable {
    public let id: String
    public let provider: String
    public let label: String
    public let baseUrl: String?
    public let updatedAt: Int64
    public let deletedAt: Int64?
    public let maskedKey: String?
    public let secret: String?
    /// `api_key` (when left out) or `oauth`.
    public var authMethod: String?

    public init(
        id: String,
        provider: String,
        label: String,
        baseUrl: String?,
        updatedAt: Int64,
        deletedAt: Int64?,
        maskedKey: String?,
        secret: String?,
        authMethod: String? = nil
    ) {
        self.authMethod = authMethod
        self.id = id
        self.provider = provider
        self.label = label
        self.baseUrl = baseUrl
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
        self.maskedKey = maskedKey
        self.secret = secret
    }
}

/// `GET /credentials/sync?since=`: every key changed at or after `since` (tombstones included),
/// and the vault's time to ask from next.
public struct VaultSync: Codable, Sendable, Hashable {
    public let serverTime: Int64
    public let credentials: [VaultCredentialItem]

    public init(serverTime: Int64, credentials: [VaultCredentialItem]) {
        self.serverTime = serverTime
        self.credentials = credentials
    }
}

/// What signing up or logging in to a vault answers: the login token (a bearer secret, shown once).
public struct VaultLoginAnswer: Codable, Sendable {
    public struct User: Codable, Sendable, Hashable {
        public let id: String
        public let username: String
    }

    public let token: String
    public let user: User
    public let sessionId: String
    public let expiresAt: Int64
}
