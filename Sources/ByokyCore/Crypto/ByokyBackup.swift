/// The contents of a `.byoky` backup, with every secret in plain form (held as ``SecretString``).
///
/// The file format is the original extension's (version 2); ``ByokyBackupFile`` reads and writes it.
public struct ByokyBackup: Sendable, Hashable {
    /// A stored provider credential.
    public struct Credential: Sendable, Hashable {
        public var id: String
        public var provider: ProviderID
        public var label: String
        public var authMethod: AuthMethod
        /// The API key, or the OAuth access token (Anthropic setup tokens included).
        public var secret: SecretString
        /// The OAuth refresh token; `nil` when there is none or the file's copy could not be read.
        public var refreshToken: SecretString?
        /// The per-credential base URL (Azure, Ollama, LM Studio, or a test upstream).
        public var baseURL: String?
        /// Unix milliseconds.
        public var createdAt: Int64
        public var lastUsedAt: Int64?
        public var expiresAt: Int64?

        public init(
            id: String,
            provider: ProviderID,
            label: String,
            authMethod: AuthMethod,
            secret: SecretString,
            refreshToken: SecretString? = nil,
            baseURL: String? = nil,
            createdAt: Int64,
            lastUsedAt: Int64? = nil,
            expiresAt: Int64? = nil
        ) {
            self.id = id
            self.provider = provider
            self.label = label
            self.authMethod = authMethod
            self.secret = secret
            self.refreshToken = refreshToken
            self.baseURL = baseURL
            self.createdAt = createdAt
            self.lastUsedAt = lastUsedAt
            self.expiresAt = expiresAt
        }
    }

    /// A gift this wallet gives (sender side).
    public struct Gift: Sendable, Hashable {
        public var id: String
        public var credentialID: String
        public var provider: ProviderID
        public var label: String
        public var authToken: SecretString
        public var maxTokens: Int
        public var usedTokens: Int
        public var expiresAt: Int64
        public var createdAt: Int64
        public var isActive: Bool
        public var relayURL: String

        public init(
            id: String,
            credentialID: String,
            provider: ProviderID,
            label: String,
            authToken: SecretString,
            maxTokens: Int,
            usedTokens: Int,
            expiresAt: Int64,
            createdAt: Int64,
            isActive: Bool,
            relayURL: String
        ) {
            self.id = id
            self.credentialID = credentialID
            self.provider = provider
            self.label = label
            self.authToken = authToken
            self.maxTokens = maxTokens
            self.usedTokens = usedTokens
            self.expiresAt = expiresAt
            self.createdAt = createdAt
            self.isActive = isActive
            self.relayURL = relayURL
        }
    }

    /// A gift this wallet received.
    public struct GiftedCredential: Sendable, Hashable {
        public var id: String
        public var giftID: String
        public var provider: ProviderID
        public var providerName: String
        public var senderLabel: String
        public var authToken: SecretString
        public var maxTokens: Int
        public var usedTokens: Int
        public var expiresAt: Int64
        public var relayURL: String
        public var createdAt: Int64

        public init(
            id: String,
            giftID: String,
            provider: ProviderID,
            providerName: String,
            senderLabel: String,
            authToken: SecretString,
            maxTokens: Int,
            usedTokens: Int,
            expiresAt: Int64,
            relayURL: String,
            createdAt: Int64
        ) {
            self.id = id
            self.giftID = giftID
            self.provider = provider
            self.providerName = providerName
            self.senderLabel = senderLabel
            self.authToken = authToken
            self.maxTokens = maxTokens
            self.usedTokens = usedTokens
            self.expiresAt = expiresAt
            self.relayURL = relayURL
            self.createdAt = createdAt
        }
    }

    /// Unix milliseconds when the file was made.
    public var exportedAt: Int64
    public var credentials: [Credential]
    public var gifts: [Gift]
    public var giftedCredentials: [GiftedCredential]
    /// How many refresh tokens the file held that could not be read (the original extension
    /// exports them under the old master password, so they are lost on import).
    public var unreadableRefreshTokens: Int

    public init(
        exportedAt: Int64,
        credentials: [Credential] = [],
        gifts: [Gift] = [],
        giftedCredentials: [GiftedCredential] = [],
        unreadableRefreshTokens: Int = 0
    ) {
        self.exportedAt = exportedAt
        self.credentials = credentials
        self.gifts = gifts
        self.giftedCredentials = giftedCredentials
        self.unreadableRefreshTokens = unreadableRefreshTokens
    }
}
