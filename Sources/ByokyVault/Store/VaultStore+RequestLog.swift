public import ByokyCore
import ByokyServerStore
public import ByokyStore
import SQLKit

extension VaultStore {
    /// Adds what `/proxy` served to an account's log.
    public func insert(_ entry: RequestLogRecord, of userID: String) async throws {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO vault_request_log (id, user_id, session_id, app_name, provider, actual_provider,
                    model, method, path, status, input_tokens, output_tokens, latency_ms, error_code, created_at)
                VALUES (\(bind: entry.id), \(bind: userID), \(bind: entry.sessionID), \(bind: entry.appName),
                    \(bind: entry.provider), \(bind: entry.actualProvider), \(bind: entry.model),
                    \(bind: entry.method), \(bind: entry.path), \(bind: entry.status), \(bind: entry.inputTokens),
                    \(bind: entry.outputTokens), \(bind: entry.latencyMilliseconds), \(bind: entry.errorCode),
                    \(bind: entry.createdAt))
                """
            ).run()
        }
    }

    /// Tokens an account's app used since a time (of one provider, or all when `provider` is
    /// empty), as the owner's caps count them: the provider the app asked for, answers below 400.
    public func tokensUsed(of userID: String, app: String, provider: String, since: Int64) async throws -> Int {
        struct Sum: Decodable { let used: Int? }
        return try await database.withSQL { sql in
            let query = sql.select()
                .column(
                    SQLRaw("CAST(SUM(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0)) AS BIGINT)"),
                    as: "used"
                )
                .from("vault_request_log").where("user_id", .equal, userID).where("app_name", .equal, app)
                .where("created_at", .greaterThanOrEqual, since).where("status", .lessThan, 400)
            if !provider.isEmpty { query.where("provider", .equal, provider) }
            return try await query.first(decoding: Sum.self)?.used ?? 0
        }
    }

    /// What one app session has used, by provider.
    public func usage(ofSession sessionID: String) async throws -> SessionUsage {
        struct Row: Decodable {
            let provider: String
            let requests: Int
            let input: Int?
            let output: Int?
        }
        let rows = try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT provider, COUNT(*) AS requests, CAST(SUM(input_tokens) AS BIGINT) AS input,
                    CAST(SUM(output_tokens) AS BIGINT) AS output
                FROM vault_request_log WHERE session_id = \(bind: sessionID) GROUP BY provider
                """
            ).all(decoding: Row.self)
        }
        var byProvider: [String: SessionUsage.ProviderUsage] = [:]
        for row in rows {
            byProvider[row.provider] = .init(
                requests: row.requests,
                inputTokens: row.input ?? 0,
                outputTokens: row.output ?? 0
            )
        }
        return SessionUsage(
            requests: byProvider.values.reduce(0) { $0 + $1.requests },
            inputTokens: byProvider.values.reduce(0) { $0 + $1.inputTokens },
            outputTokens: byProvider.values.reduce(0) { $0 + $1.outputTokens },
            byProvider: byProvider
        )
    }
}
