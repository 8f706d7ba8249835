public import ByokyCore

/// A routing group: apps assigned to it are served by `provider`, optionally with a pinned key
/// and model, whatever provider they ask for.
public struct GroupRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var provider: ProviderID
    /// A pinned credential; when it no longer exists the group serves nothing (no silent fallback).
    public var credentialID: String?
    /// The model requests are sent to (required to move an app across API families).
    public var model: String?
    public var createdAt: Int64
    /// A pinned received gift (instead of a credential); its provider must be ``provider``.
    public var giftID: String?

    enum CodingKeys: String, CodingKey {
        case id, name, provider, model
        case credentialID = "credential_id"
        case giftID = "gift_id"
        case createdAt = "created_at"
    }

    public init(
        id: String,
        name: String,
        provider: ProviderID,
        credentialID: String?,
        model: String?,
        createdAt: Int64,
        giftID: String? = nil
    ) {
        self.giftID = giftID
        self.id = id
        self.name = name
        self.provider = provider
        self.credentialID = credentialID
        self.model = model
        self.createdAt = createdAt
    }
}
