/// `PUT /gifts/{id}` on a vault, under the owner's login: the owner turns on vault serving for one
/// gift they give, so the vault holds the gift's relay room as a fallback sender while the giving
/// wallet is offline. Later `PUT`s (without `secrets`) bring the wallet's usage and a revocation.
///
/// `secrets` hands the vault what serving needs: the gift's provider key and the room's secrets.
/// Its operator can use that key within what the vault does for the gift, which is why a wallet
/// sends it only for a gift its owner turned on.
public struct VaultGiftUpload: Codable, Sendable, Hashable {
    public var provider: String
    /// The giver's name as receivers see it.
    public var label: String
    public var relayUrl: String
    public var roomId: String
    public var maxTokens: Int
    /// The giving wallet's total; the vault keeps the larger of its own and this.
    public var usedTokens: Int
    public var expiresAt: Int64
    public var revokedAt: Int64?
    /// Needed on the first upload; replaces the stored ones when given again.
    public var secrets: Secrets?

    /// What holds the gift's room and serves its requests.
    public struct Secrets: Codable, Sendable, Hashable, CustomStringConvertible {
        /// The provider key the gift spends.
        public var apiKey: String
        /// `api_key` or `oauth`.
        public var authMethod: String
        /// The key's own base URL (a local or self-hosted provider), if it has one.
        public var baseUrl: String?
        /// Proves the relay room (a version 2 room's id is derived from it).
        public var senderKey: String
        /// The recipients' token.
        public var authToken: String
        /// The private key receivers seal their requests to.
        public var privateKey: String

        public init(
            apiKey: String,
            authMethod: String,
            baseUrl: String?,
            senderKey: String,
            authToken: String,
            privateKey: String
        ) {
            self.apiKey = apiKey
            self.authMethod = authMethod
            self.baseUrl = baseUrl
            self.senderKey = senderKey
            self.authToken = authToken
            self.privateKey = privateKey
        }

        /// Never the secrets themselves.
        public var description: String { "VaultGiftUpload.Secrets(redacted)" }
    }

    public init(
        provider: String,
        label: String,
        relayUrl: String,
        roomId: String,
        maxTokens: Int,
        usedTokens: Int,
        expiresAt: Int64,
        revokedAt: Int64?,
        secrets: Secrets?
    ) {
        self.provider = provider
        self.label = label
        self.relayUrl = relayUrl
        self.roomId = roomId
        self.maxTokens = maxTokens
        self.usedTokens = usedTokens
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.secrets = secrets
    }
}

/// A gift a vault serves, as its owner's listing shows it (`GET /gifts`, and the answer to a
/// `PUT`); never its secrets.
public struct VaultGiftItem: Codable, Sendable, Hashable {
    public let id: String
    public let provider: String
    public let label: String
    public let maxTokens: Int
    /// The larger of the vault's count and what the wallet and the room's senders reported.
    public let usedTokens: Int
    public let expiresAt: Int64
    public let revokedAt: Int64?
    public let updatedAt: Int64

    public init(
        id: String,
        provider: String,
        label: String,
        maxTokens: Int,
        usedTokens: Int,
        expiresAt: Int64,
        revokedAt: Int64?,
        updatedAt: Int64
    ) {
        self.id = id
        self.provider = provider
        self.label = label
        self.maxTokens = maxTokens
        self.usedTokens = usedTokens
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.updatedAt = updatedAt
    }
}
