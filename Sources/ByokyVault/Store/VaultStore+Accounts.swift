import ByokyServerStore
import SQLKit

extension VaultStore {
    /// Adds an account; `false` when the name is taken (one statement: two sign-ups of one name
    /// on two instances cannot both succeed).
    public func insert(_ user: VaultUser) async throws -> Bool {
        struct Inserted: Decodable { let id: String }
        return try await database.withSQL { sql in
            try await sql.insert(into: "vault_users").model(user).ignoringConflicts(with: "username")
                .returning("id").all(decoding: Inserted.self)
        }.isEmpty == false
    }

    public func user(named username: String) async throws -> VaultUser? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_users").where("username", .equal, username)
                .first(decoding: VaultUser.self)
        }
    }

    public func user(id: String) async throws -> VaultUser? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_users").where("id", .equal, id)
                .first(decoding: VaultUser.self)
        }
    }

    /// Deletes an account and everything of it.
    public func deleteUser(id: String) async throws {
        try await database.withSQL { sql in
            // SQLite enforces the cascade only with foreign keys on: delete the logins by hand too.
            try await sql.delete(from: "vault_logins").where("user_id", .equal, id).run()
            try await sql.delete(from: "vault_credentials").where("user_id", .equal, id).run()
            try await sql.delete(from: "vault_users").where("id", .equal, id).run()
        }
    }

    public func insert(_ login: LoginSession) async throws {
        try await database.withSQL { sql in try await sql.insert(into: "vault_logins").model(login).run() }
    }

    /// The unexpired login whose token hashes to `tokenHash`.
    public func login(tokenHash: String, now: Int64) async throws -> LoginSession? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_logins").where("token_hash", .equal, tokenHash)
                .where("expires_at", .greaterThan, now).first(decoding: LoginSession.self)
        }
    }

    public func deleteLogin(id: String) async throws {
        try await database.withSQL { sql in try await sql.delete(from: "vault_logins").where("id", .equal, id).run() }
    }

    public func users() async throws -> Int {
        struct Count: Decodable { let count: Int }
        return try await database.withSQL { sql in
            try await sql.raw("SELECT COUNT(*) AS count FROM vault_users").first(decoding: Count.self)?.count ?? 0
        }
    }

    // MARK: Login failures

    /// Failures recorded for `subject` in `scope` (`account` or `address`), and when the last was.
    public func failures(_ scope: String, _ subject: String) async throws -> (count: Int, last: Int64) {
        struct Row: Decodable {
            let failures: Int
            let last_failure_at: Int64
        }
        let row = try await database.withSQL { sql in
            try await sql.select().columns("failures", "last_failure_at").from("vault_login_failures")
                .where("scope", .equal, scope).where("subject", .equal, subject).first(decoding: Row.self)
        }
        return (row?.failures ?? 0, row?.last_failure_at ?? 0)
    }

    /// Counts one more failure (one statement, so racing instances never lose one).
    public func recordFailure(_ scope: String, _ subject: String, at time: Int64) async throws {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO vault_login_failures (scope, subject, failures, last_failure_at)
                VALUES (\(bind: scope), \(bind: subject), 1, \(bind: time))
                ON CONFLICT (scope, subject) DO UPDATE SET
                    failures = vault_login_failures.failures + 1, last_failure_at = excluded.last_failure_at
                """
            ).run()
        }
    }

    public func clearFailures(_ scope: String, _ subject: String) async throws {
        try await database.withSQL { sql in
            try await sql.delete(from: "vault_login_failures").where("scope", .equal, scope)
                .where("subject", .equal, subject).run()
        }
    }
}
