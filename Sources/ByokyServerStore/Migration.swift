import Foundation
import SQLKit

/// One step of a schema's history: applied once, in order of `version`, recorded in its schema's
/// history table. Statements must read the same in SQLite and PostgreSQL.
public struct Migration: Sendable {
    public let version: Int
    public let statements: [String]

    public init(version: Int, _ statements: [String]) {
        self.version = version
        self.statements = statements
    }

    /// The PostgreSQL advisory lock under which instances migrate one at a time.
    static let lockKey: Int64 = 0x6279_6F6B_7964_62  // "byokydb"

    /// Applies what `sql` lacks. Each step checks and records its version inside its own transaction
    /// (`begin` opens it: SQLite's `BEGIN IMMEDIATE` takes the write lock first), so processes
    /// migrating one database at once apply every step exactly once.
    ///
    /// - Parameter history: The table recording applied versions; one per schema, so services that
    ///   share a database (the vault and the marketplace) keep separate histories.
    static func apply(
        _ migrations: [Migration],
        on sql: any SQLDatabase,
        begin: String,
        history: String
    ) async throws {
        struct Row: Decodable { let version: Int }
        precondition(history.allSatisfy { $0.isLetter || $0 == "_" }, "a history table is a plain name")
        for migration in migrations.sorted(by: { $0.version < $1.version }) {
            try await sql.raw(SQLQueryString(begin)).run()
            do {
                try await sql.raw(
                    "CREATE TABLE IF NOT EXISTS \(ident: history) (version BIGINT PRIMARY KEY NOT NULL, applied_at BIGINT NOT NULL)"
                ).run()
                let done = try await sql.select().column("version").from(history)
                    .where("version", .equal, migration.version).first(decoding: Row.self)
                if done == nil {
                    for statement in migration.statements { try await sql.raw(SQLQueryString(statement)).run() }
                    try await sql.insert(into: history).columns("version", "applied_at")
                        .values(SQLBind(migration.version), SQLBind(Int64(Date().timeIntervalSince1970 * 1000))).run()
                }
                try await sql.raw("COMMIT").run()
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
