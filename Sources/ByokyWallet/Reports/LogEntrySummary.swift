public import ByokyStore

/// One audit-log entry as `byoky log --json` and the control socket's `/log` show it: what was
/// asked, where it went and what it cost; never a key or a prompt.
public struct LogEntrySummary: Codable, Sendable, Hashable {
    public let id: String
    public let sessionId: String?
    public let appName: String
    /// The provider the app asked for.
    public let provider: String
    /// The provider the request went to.
    public let actualProvider: String
    public let model: String?
    public let method: String
    public let path: String
    public let status: Int
    public let inputTokens: Int?
    public let outputTokens: Int?
    public let latencyMs: Int
    public let errorCode: String?
    public let createdAt: Int64

    public init(_ entry: RequestLogRecord) {
        id = entry.id
        sessionId = entry.sessionID
        appName = entry.appName
        provider = entry.provider
        actualProvider = entry.actualProvider
        model = entry.model
        method = entry.method
        path = entry.path
        status = entry.status
        inputTokens = entry.inputTokens
        outputTokens = entry.outputTokens
        latencyMs = entry.latencyMilliseconds
        errorCode = entry.errorCode
        createdAt = entry.createdAt
    }
}
