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

extension Wallet {
    /// A page of the audit log for the wallet page: entries matching `filter`, newest first, after
    /// `cursor`; and the cursor of the next page when there is one.
    public func logPage(
        _ filter: LogFilter,
        after cursor: LogCursor?,
        limit: Int
    ) async throws -> (entries: [LogEntrySummary], next: LogCursor?) {
        let rows = try await store.requestLogPage(filter, after: cursor, limit: limit + 1)
        let page = Array(rows.prefix(limit))
        let next = rows.count > limit ? page.last.map { LogCursor(createdAt: $0.createdAt, id: $0.id) } : nil
        return (page.map(LogEntrySummary.init), next)
    }
}

extension Wallet {
    /// Requests, errors and tokens per UTC day, app and provider over the last `days` days
    /// (today included).
    public func usageByDay(days: Int) async throws -> [UsageDayRow] {
        let dayLength: Int64 = 86_400_000
        let today = now() / dayLength
        return try await store.usageByDay(since: (today - Int64(max(days, 1)) + 1) * dayLength)
    }
}
