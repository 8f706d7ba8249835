import ByokyCore
public import ByokyStore

/// An app's session as listings show it (`byoky sessions --json`, the control socket's
/// `/sessions`): never the key or its hash.
public struct SessionSummary: Codable, Sendable, Hashable {
    public let id: String
    public let app: String
    public let origin: String?
    public let providers: [String]
    public let createdAt: Int64
    public let expiresAt: Int64
    public let revoked: Bool

    public init(_ record: SessionRecord) {
        id = record.id
        app = record.appName
        origin = record.appOrigin
        providers = record.providerIDs.map(\.rawValue)
        createdAt = record.createdAt
        expiresAt = record.expiresAt
        revoked = record.revokedAt != nil
    }
}
