import ByokyCore
public import ByokyStore

/// A stored key as listings show it: masked, never the secret (the CLI's `key list --json` and
/// the control socket's `/keys`).
public struct CredentialSummary: Codable, Sendable, Hashable {
    public let id: String
    public let label: String
    public let provider: String
    public let masked: String
    public let baseURL: String?
    public let createdAt: Int64
    public let lastUsedAt: Int64?

    public init(_ record: CredentialRecord) {
        id = record.id
        label = record.label
        provider = record.provider.rawValue
        masked = record.maskedSecret
        baseURL = record.baseURL
        createdAt = record.createdAt
        lastUsedAt = record.lastUsedAt
    }
}
