/// One audit-log entry: who asked for what, where it went and what it cost. Never a key or a body.
public struct RequestLogRecord: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    public var sessionID: String?
    public var appName: String
    /// The provider the app asked for.
    public var provider: String
    /// The provider the request went to.
    public var actualProvider: String
    public var model: String?
    public var method: String
    /// The path without its query (queries can carry keys).
    public var path: String
    public var status: Int
    public var inputTokens: Int?
    public var outputTokens: Int?
    public var latencyMilliseconds: Int
    public var errorCode: String?
    public var createdAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, provider, model, method, path, status
        case sessionID = "session_id"
        case appName = "app_name"
        case actualProvider = "actual_provider"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case latencyMilliseconds = "latency_ms"
        case errorCode = "error_code"
        case createdAt = "created_at"
    }

    public init(
        id: String,
        sessionID: String?,
        appName: String,
        provider: String,
        actualProvider: String,
        model: String?,
        method: String,
        path: String,
        status: Int,
        inputTokens: Int?,
        outputTokens: Int?,
        latencyMilliseconds: Int,
        errorCode: String?,
        createdAt: Int64
    ) {
        self.id = id
        self.sessionID = sessionID
        self.appName = appName
        self.provider = provider
        self.actualProvider = actualProvider
        self.model = model
        self.method = method
        self.path = path
        self.status = status
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.latencyMilliseconds = latencyMilliseconds
        self.errorCode = errorCode
        self.createdAt = createdAt
    }
}
