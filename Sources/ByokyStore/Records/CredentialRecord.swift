public import ByokyCore

/// A stored provider credential. The secret is sealed; only the wallet's data key opens it.
public struct CredentialRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var provider: ProviderID
    /// A name unique in the wallet, e.g. `Anthropic` or `work`.
    public var label: String
    public var authMethod: AuthMethod
    /// base64 of `nonce ‖ ciphertext ‖ tag` under the data key, bound to `credential:<id>`.
    public var sealedSecret: String
    /// The secret masked for display (`sk-a...cdef`), kept so listing needs no unlock.
    public var maskedSecret: String
    public var baseURL: String?
    /// Unix milliseconds.
    public var createdAt: Int64
    public var lastUsedAt: Int64?
    /// When its label or secret last changed (Unix ms); `nil` when never since it was added.
    public var updatedAt: Int64?

    /// The version syncing compares: the last change, or the creation.
    public var version: Int64 { updatedAt ?? createdAt }

    enum CodingKeys: String, CodingKey {
        case id, provider, label
        case authMethod = "auth_method"
        case sealedSecret = "sealed_secret"
        case maskedSecret = "masked_secret"
        case baseURL = "base_url"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case updatedAt = "updated_at"
    }

    public init(
        id: String,
        provider: ProviderID,
        label: String,
        authMethod: AuthMethod,
        sealedSecret: String,
        maskedSecret: String,
        baseURL: String?,
        createdAt: Int64,
        lastUsedAt: Int64? = nil,
        updatedAt: Int64? = nil
    ) {
        self.updatedAt = updatedAt
        self.id = id
        self.provider = provider
        self.label = label
        self.authMethod = authMethod
        self.sealedSecret = sealedSecret
        self.maskedSecret = maskedSecret
        self.baseURL = baseURL
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
