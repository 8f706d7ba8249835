/// A token cap the owner set on an app: input plus output tokens per period.
public struct AllowanceRecord: Sendable, Hashable, Codable {
    /// The app's name, as its sessions carry it.
    public var appName: String
    /// The provider the cap applies to, or empty for all providers together.
    public var provider: String
    /// Calendar periods in UTC.
    public var period: AllowancePeriod
    public var tokenLimit: Int

    enum CodingKeys: String, CodingKey {
        case provider, period
        case appName = "app_name"
        case tokenLimit = "token_limit"
    }

    public init(appName: String, provider: String, period: AllowancePeriod, tokenLimit: Int) {
        self.appName = appName
        self.provider = provider
        self.period = period
        self.tokenLimit = tokenLimit
    }
}
