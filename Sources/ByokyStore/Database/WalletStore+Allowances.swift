import SQLiteKit

extension WalletStore {
    /// Sets (or replaces) a cap.
    public func setAllowance(_ allowance: AllowanceRecord) async throws {
        try await database.raw(
            """
            INSERT INTO allowances (app_name, provider, period, token_limit)
            VALUES (\(bind: allowance.appName), \(bind: allowance.provider), \(bind: allowance.period), \(bind: allowance.tokenLimit))
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
    public func removeAllowance(app: String, provider: String, period: String) async throws -> Bool {
        let existing = try await allowances(app: app).contains { $0.provider == provider && $0.period == period }
        try await database.raw(
            "DELETE FROM allowances WHERE app_name = \(bind: app) AND provider = \(bind: provider) AND period = \(bind: period)"
        ).run()
        return existing
    }

    /// Input plus output tokens of an app's successful requests since `since` (Unix ms), for one
    /// provider or (with an empty `provider`) all of them.
    public func tokensUsed(app: String, provider: String, since: Int64) async throws -> Int {
        await logWriter.waitUntilWritten()
        struct Row: Decodable { let total: Int? }
        let row =
            if provider.isEmpty {
                try await database.raw(
                    """
                    SELECT SUM(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0)) AS total FROM request_log
                    WHERE app_name = \(bind: app) AND created_at >= \(bind: since) AND status < 400
                    """
                ).first(decoding: Row.self)
            } else {
                try await database.raw(
                    """
                    SELECT SUM(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0)) AS total FROM request_log
                    WHERE app_name = \(bind: app) AND provider = \(bind: provider) AND created_at >= \(bind: since)
                    AND status < 400
                    """
                ).first(decoding: Row.self)
            }
        return row?.total ?? 0
    }
}
