import ByokyCore
public import ByokyStore

/// How long the audit log keeps its rows, as the CLI and the control socket show it.
public struct LogRetention: Sendable, Hashable, Codable {
    /// Days of rows kept; `0` keeps every row.
    public let days: Int

    public init(days: Int) { self.days = days }
}

/// A request to prune the audit log now.
public struct LogPruneRequest: Sendable, Hashable, Codable {
    /// Rows older than this many days go (their tokens stay in per-day totals).
    public let olderThanDays: Int

    public init(olderThanDays: Int) { self.olderThanDays = olderThanDays }
}

extension Wallet {
    /// How long the audit log keeps its rows.
    public func logRetention() async throws -> LogRetention {
        LogRetention(days: try await store.logRetentionDays())
    }

    /// Sets how long the audit log keeps its rows (`0`: forever); applies it at once.
    @discardableResult
    public func setLogRetention(_ retention: LogRetention) async throws -> LogPruneReport? {
        guard retention.days >= 0, retention.days <= 36_500 else {
            throw ByokyError(.invalidRequest, "Keep the log for 1 to 36500 days, or 0 for ever")
        }
        try await store.setLogRetentionDays(retention.days)
        return try await applyLogRetention()
    }

    /// Removes audit-log rows older than `days` days (whole UTC days); usage figures and caps
    /// stay exact (see ``WalletStore/pruneLog(before:)``).
    public func pruneLog(_ request: LogPruneRequest) async throws -> LogPruneReport {
        guard request.olderThanDays >= 1 else {
            throw ByokyError(.invalidRequest, "--older-than must be at least 1 day")
        }
        return try await store.pruneLog(before: now() - Int64(request.olderThanDays) * WalletStore.dayMilliseconds)
    }

    /// Prunes by the retention setting; `nil` when the log is kept for ever.
    @discardableResult
    public func applyLogRetention() async throws -> LogPruneReport? {
        let days = try await store.logRetentionDays()
        guard days > 0 else { return nil }
        return try await pruneLog(LogPruneRequest(olderThanDays: days))
    }
}
