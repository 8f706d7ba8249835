public import ByokyServerStore
import SQLKit

/// The vault's accounts, logins and login failures, in a SQLite file or PostgreSQL (one set of
/// SQLKit queries for both). Nothing that matters is kept in memory: instances sharing one
/// PostgreSQL behave as one, back-off included.
public final class VaultStore: Sendable {
    let database: ServerDatabase

    private init(database: ServerDatabase) {
        self.database = database
    }

    /// Opens (creating) the database and brings its schema up to date.
    public static func open(_ location: DatabaseLocation) async throws -> VaultStore {
        VaultStore(database: try await ServerDatabase.open(location, migrations: migrations))
    }

    public func close() async throws {
        try await database.close()
    }

    /// Where the data lives (for the startup line; never a password).
    public var location: DatabaseLocation { database.location }

    static let migrations = [
        Migration(
            version: 1,
            [
                """
                CREATE TABLE IF NOT EXISTS vault_users (
                    id TEXT PRIMARY KEY NOT NULL,
                    username TEXT UNIQUE NOT NULL,
                    wrapped_data_key TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE IF NOT EXISTS vault_logins (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES vault_users (id) ON DELETE CASCADE,
                    token_hash TEXT UNIQUE NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX IF NOT EXISTS vault_logins_by_user ON vault_logins (user_id)",
                // Failed logins per account name and per client address, for the back-off.
                """
                CREATE TABLE IF NOT EXISTS vault_login_failures (
                    scope TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    failures BIGINT NOT NULL,
                    last_failure_at BIGINT NOT NULL,
                    PRIMARY KEY (scope, subject)
                )
                """,
            ]
        ),
        Migration(
            version: 2,
            [
                // The account's data key, sealed under the login's token (logins made before have
                // none, and must log in again to reach keys).
                "ALTER TABLE vault_logins ADD COLUMN sealed_data_key TEXT",
                """
                CREATE TABLE IF NOT EXISTS vault_credentials (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES vault_users (id) ON DELETE CASCADE,
                    provider TEXT NOT NULL,
                    label TEXT NOT NULL,
                    base_url TEXT,
                    sealed_secret TEXT,
                    masked_secret TEXT,
                    updated_at BIGINT NOT NULL,
                    deleted_at BIGINT
                )
                """,
                "CREATE INDEX IF NOT EXISTS vault_credentials_by_user ON vault_credentials (user_id, updated_at)",
            ]
        ),
    ]
}
