import SQLiteKit

/// Requests and tokens of one app on one provider.
public struct UsageSummaryRow: Sendable, Hashable, Codable {
    public let appName: String
    public let provider: String
    public let requests: Int
    public let inputTokens: Int
    public let outputTokens: Int

    enum CodingKeys: String, CodingKey {
        case provider, requests
        case appName = "app_name"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }
}

extension WalletStore {
    /// Requests and tokens since `since` (Unix ms, a UTC day boundary or earlier), by app and
    /// provider, optionally for one app: the audit log's rows plus the per-day totals of rows
    /// pruned from it.
    public func usageSummary(since: Int64, app: String? = nil) async throws -> [UsageSummaryRow] {
        await logWriter.waitUntilWritten()
        let allApps = app == nil
        let name = app ?? ""
        return try await database.raw(
            """
            SELECT app_name, provider, SUM(requests) AS requests, SUM(input_tokens) AS input_tokens,
                SUM(output_tokens) AS output_tokens FROM (
                SELECT app_name, provider, COUNT(*) AS requests, SUM(COALESCE(input_tokens, 0)) AS input_tokens,
                    SUM(COALESCE(output_tokens, 0)) AS output_tokens FROM request_log
                WHERE created_at >= \(bind: since) AND (\(bind: allApps) OR app_name = \(bind: name))
                GROUP BY app_name, provider
                UNION ALL
                SELECT app_name, provider, requests, input_tokens, output_tokens FROM usage_days
                WHERE day * \(bind: Self.dayMilliseconds) >= \(bind: since) AND (\(bind: allApps) OR app_name = \(bind: name))
            ) GROUP BY app_name, provider ORDER BY app_name, provider
            """
        ).all(decoding: UsageSummaryRow.self)
    }
}
