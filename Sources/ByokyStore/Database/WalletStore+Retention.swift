import SQLiteKit

/// What a prune of the audit log did.
public struct LogPruneReport: Sendable, Hashable, Codable {
    /// Audit-log rows removed (their tokens live on in per-day totals).
    public let removedRows: Int
    /// The day boundary (Unix ms, UTC midnight) before which rows were removed.
    public let cutoff: Int64
    /// Whether the database file was compacted afterwards.
    public let vacuumed: Bool

    public init(removedRows: Int, cutoff: Int64, vacuumed: Bool) {
        self.removedRows = removedRows
        self.cutoff = cutoff
        self.vacuumed = vacuumed
    }
}

extension WalletStore {
    /// Milliseconds in a UTC day.
    public static let dayMilliseconds: Int64 = 86_400_000

    /// The settings key of the audit log's retention, in days (`0` keeps every row).
    static let logRetentionKey = "log_retention_days"

    /// Audit-log rows are kept this many days unless the owner says otherwise.
    public static let defaultLogRetentionDays = 90

    /// How many days of audit-log rows the wallet keeps (`0`: all of them).
    public func logRetentionDays() async throws -> Int {
        try await setting(Self.logRetentionKey).flatMap(Int.init) ?? Self.defaultLogRetentionDays
    }

    /// Sets how many days of audit-log rows the wallet keeps (`0`: all of them).
    public func setLogRetentionDays(_ days: Int) async throws {
        try await setSetting(Self.logRetentionKey, to: String(max(0, days)))
    }

    /// Removes audit-log rows older than `before` (rounded down to UTC midnight), after adding
    /// them to per-day totals by app and provider, in one transaction: usage figures and caps read
    /// the totals for pruned days, so they stay exact. Compacts the file when at least a quarter
    /// of it (and over a megabyte) is free afterwards.
    public func pruneLog(before: Int64) async throws -> LogPruneReport {
        await logWriter.waitUntilWritten()
        let cutoff = before - ((before % Self.dayMilliseconds) + Self.dayMilliseconds) % Self.dayMilliseconds
        struct Count: Decodable { let n: Int }
        let removable =
            try await database.raw("SELECT COUNT(*) AS n FROM request_log WHERE created_at < \(bind: cutoff)")
            .first(decoding: Count.self)?.n ?? 0
        guard removable > 0 else { return LogPruneReport(removedRows: 0, cutoff: cutoff, vacuumed: false) }
        try await database.raw("BEGIN IMMEDIATE").run()
        do {
            try await database.raw(
                """
                INSERT INTO usage_days (day, app_name, provider, requests, input_tokens, output_tokens, counted_tokens)
                SELECT created_at / \(bind: Self.dayMilliseconds), app_name, provider, COUNT(*),
                    SUM(COALESCE(input_tokens, 0)), SUM(COALESCE(output_tokens, 0)),
                    SUM(CASE WHEN status < 400 THEN COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0) ELSE 0 END)
                FROM request_log WHERE created_at < \(bind: cutoff)
                GROUP BY created_at / \(bind: Self.dayMilliseconds), app_name, provider
                ON CONFLICT (day, app_name, provider) DO UPDATE SET
                    requests = requests + excluded.requests,
                    input_tokens = input_tokens + excluded.input_tokens,
                    output_tokens = output_tokens + excluded.output_tokens,
                    counted_tokens = counted_tokens + excluded.counted_tokens
                """
            ).run()
            try await database.raw("DELETE FROM request_log WHERE created_at < \(bind: cutoff)").run()
            try await database.raw("COMMIT").run()
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
        return LogPruneReport(removedRows: removable, cutoff: cutoff, vacuumed: try await vacuumIfWorthwhile())
    }

    /// Compacts the database when at least a quarter of its pages (and over a megabyte) are free.
    func vacuumIfWorthwhile() async throws -> Bool {
        struct Pages: Decodable {
            let freelist_count: Int?
            let page_count: Int?
            let page_size: Int?
        }
        let free = try await database.raw("PRAGMA freelist_count").first(decoding: Pages.self)?.freelist_count ?? 0
        let total = try await database.raw("PRAGMA page_count").first(decoding: Pages.self)?.page_count ?? 0
        let size = try await database.raw("PRAGMA page_size").first(decoding: Pages.self)?.page_size ?? 4096
        guard total > 0, free * 4 >= total, free * size > 1_048_576 else { return false }
        try await database.raw("VACUUM").run()
        return true
    }
}
