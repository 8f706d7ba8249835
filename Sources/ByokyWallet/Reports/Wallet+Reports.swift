public import ByokyStore

extension Wallet {
    /// The newest `limit` audit-log entries (1 to 10,000), newest first, optionally for one app or
    /// one requested provider.
    public func log(limit: Int, app: String? = nil, provider: String? = nil) async throws -> [LogEntrySummary] {
        try await store.requestLog(limit: min(max(limit, 1), 10_000), app: app, provider: provider)
            .map(LogEntrySummary.init)
    }

    /// Requests and tokens by app and provider in the current `period` (UTC), optionally for one app.
    public func usage(in period: AllowancePeriod, app: String? = nil) async throws -> [UsageSummary] {
        try await store.usageSummary(since: period.windowStart(containing: now()), app: app).map(UsageSummary.init)
    }
}
