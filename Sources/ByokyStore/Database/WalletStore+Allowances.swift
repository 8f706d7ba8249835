import SQLiteKit

extension WalletStore {
    /// Sets (or replaces) a cap.
    public func setAllowance(_ allowance: AllowanceRecord) async throws {
        try await database.raw(
            """
            INSERT INTO allowances (app_name, provider, period, token_limit)
            VALUES (\(bind: allowance.appName), \(bind: allowance.provider), \(bind: allowance.period.rawValue), \(bind: allowance.tokenLimit))
            ON CONFLICT(app_name, provider, period) DO UPDATE SET token_limit = excluded.token_limit
            """
        ).run()
    }

    /// Every cap, or an app's caps.
    public func allowances(app: String? = nil) async throws -> [AllowanceRecord] {
        if let app {
            return try await database.raw(
                "SELECT * FROM allowances WHERE app_name = \(bind: app) ORDER BY provider, period"
            )
            .all(decoding: AllowanceRecord.self)
        }
        return try await database.raw("SELECT * FROM allowances ORDER BY app_name, provider, period")
            .all(decoding: AllowanceRecord.self)
    }

    /// Removes a cap; returns whether one was removed.
    public func removeAllowance(app: String, provider: String, period: AllowancePeriod) async throws -> Bool {
        let existing = try await allowances(app: app).contains { $0.provider == provider && $0.period == period }
        try await database.raw(
            "DELETE FROM allowances WHERE app_name = \(bind: app) AND provider = \(bind: provider) AND period = \(bind: period.rawValue)"
        ).run()
        return existing
    }

    /// Input plus output tokens of an app's successful requests since `since` (Unix ms, a UTC day
    /// boundary or earlier), for one provider or (with an empty `provider`) all of them: the audit
    /// log's rows plus the per-day totals of rows pruned from it.
    public func tokensUsed(app: String, provider: String, since: Int64) async throws -> Int {
        await logWriter.waitUntilWritten()
        struct Row: Decodable { let total: Int? }
        let allProviders = provider.isEmpty
        let row = try await database.raw(
            """
            SELECT COALESCE((SELECT SUM(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0)) FROM request_log
                    WHERE app_name = \(bind: app) AND (\(bind: allProviders) OR provider = \(bind: provider))
                    AND created_at >= \(bind: since) AND status < 400), 0)
                + COALESCE((SELECT SUM(counted_tokens) FROM usage_days
                    WHERE app_name = \(bind: app) AND (\(bind: allProviders) OR provider = \(bind: provider))
                    AND day * \(bind: Self.dayMilliseconds) >= \(bind: since)), 0) AS total
            """
        ).first(decoding: Row.self)
        return row?.total ?? 0
    }
}
