import ByokyServerStore
import SQLKit

extension VaultStore {
    public func insert(_ session: VaultAppSession) async throws {
        try await database.withSQL { sql in try await sql.insert(into: "vault_app_sessions").model(session).run() }
    }

    /// The live (unexpired, unrevoked) app session whose key hashes to `tokenHash`.
    public func appSession(tokenHash: String, now: Int64) async throws -> VaultAppSession? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_app_sessions").where("token_hash", .equal, tokenHash)
                .where("expires_at", .greaterThan, now).where("revoked_at", .is, SQLLiteral.null)
                .first(decoding: VaultAppSession.self)
        }
    }

    /// An account's live app sessions, newest first.
    public func appSessions(of userID: String, now: Int64) async throws -> [VaultAppSession] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_app_sessions").where("user_id", .equal, userID)
                .where("expires_at", .greaterThan, now).where("revoked_at", .is, SQLLiteral.null)
                .orderBy("created_at", .descending).all(decoding: VaultAppSession.self)
        }
    }

    /// How many live app sessions an account has.
    public func liveAppSessions(of userID: String, now: Int64) async throws -> Int {
        struct Count: Decodable { let count: Int }
        return try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT COUNT(*) AS count FROM vault_app_sessions
                WHERE user_id = \(bind: userID) AND expires_at > \(bind: now) AND revoked_at IS NULL
                """
            ).first(decoding: Count.self)?.count ?? 0
        }
    }

    /// Ends an account's app session; `false` when it has no such live session.
    public func revokeAppSession(id: String, of userID: String, at time: Int64) async throws -> Bool {
        struct Revoked: Decodable { let id: String }
        return try await database.withSQL { sql in
            try await sql.raw(
                """
                UPDATE vault_app_sessions SET revoked_at = \(bind: time)
                WHERE id = \(bind: id) AND user_id = \(bind: userID) AND revoked_at IS NULL
                RETURNING id
                """
            ).all(decoding: Revoked.self)
        }.isEmpty == false
    }
}
