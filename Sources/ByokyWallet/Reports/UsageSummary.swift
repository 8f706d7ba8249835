public import ByokyStore

/// Requests and tokens of one app on one provider in a period (`byoky usage --json`, the control
/// socket's `/usage`).
public struct UsageSummary: Codable, Sendable, Hashable {
    public let app: String
    public let provider: String
    public let requests: Int
    public let inputTokens: Int
    public let outputTokens: Int

    public init(_ row: UsageSummaryRow) {
        app = row.appName
        provider = row.provider
        requests = row.requests
        inputTokens = row.inputTokens
        outputTokens = row.outputTokens
    }
}
