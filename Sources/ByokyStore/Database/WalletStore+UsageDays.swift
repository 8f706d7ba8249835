import SQLiteKit

/// One day's requests and tokens of one app on one provider.
public struct UsageDayRow: Sendable, Hashable, Codable {
    /// Days since 1970-01-01 (UTC).
    public let day: Int64
    public let appName: String
    public let provider: String
    public let requests: Int
    /// Failed requests (status 400 or more); 0 for days already pruned from the log.
    public let errors: Int
    public let inputTokens: Int
    public let outputTokens: Int

    enum CodingKeys: String, CodingKey {
        case day, provider, requests, errors
        case appName = "app_name"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
    }
}

extension WalletStore {
    /// Requests, errors and tokens per UTC day, app and provider since `since` (Unix ms): the
    /// audit log's rows plus the per-day totals of rows pruned from it.
    public func usageByDay(since: Int64) async throws -> [UsageDayRow] {
        await logWriter.waitUntilWritten()
        let day = Self.dayMilliseconds
        return try await database.raw(
            """
            SELECT day, app_name, provider, SUM(requests) AS requests, SUM(errors) AS errors,
                SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens FROM (
                SELECT created_at / \(bind: day) AS day, app_name, provider, COUNT(*) AS requests,
                    SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS errors,
                    SUM(COALESCE(input_tokens, 0)) AS input_tokens, SUM(COALESCE(output_tokens, 0)) AS output_tokens
                FROM request_log WHERE created_at >= \(bind: since)
                GROUP BY created_at / \(bind: day), app_name, provider
                UNION ALL
                SELECT day, app_name, provider, requests, 0, input_tokens, output_tokens FROM usage_days
                WHERE day * \(bind: day) >= \(bind: since)
            ) GROUP BY day, app_name, provider ORDER BY day, app_name, provider
            """
        ).all(decoding: UsageDayRow.self)
    }
}
