public import ByokyStore

/// A token cap as `byoky limit set` asks a running wallet for it, over the control socket.
public struct AllowanceSetting: Codable, Sendable, Hashable {
    public let app: String
    public let tokens: Int
    /// One provider, or `nil` for every provider together.
    public let provider: String?
    public let period: AllowancePeriod

    public init(app: String, tokens: Int, provider: String?, period: AllowancePeriod) {
        self.app = app
        self.tokens = tokens
        self.provider = provider
        self.period = period
    }
}
