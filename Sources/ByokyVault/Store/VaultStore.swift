public import ByokyServerStore
import SQLKit

/// The vault's accounts, logins, login failures, synced keys and routing, app sessions and their
/// request log, and the gifts it serves, in a SQLite file or PostgreSQL (one set of
/// SQLKit queries for both). Nothing that matters is kept in memory: instances sharing one
/// PostgreSQL behave as one, back-off included.
public final class VaultStore: Sendable {
    let database: ServerDatabase

    private init(database: ServerDatabase) {
        self.database = database
    }

    /// Opens (creating) the database and brings its schema up to date.
    public static func open(_ location: DatabaseLocation) async throws -> VaultStore {
        VaultStore(
            // Its own history table: the vault may share a database with the marketplace.
            database: try await ServerDatabase.open(
                location,
                migrations: migrations,
                history: "vault_schema_migrations"
            )
        )
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
        Migration(
            version: 3,
            [
                // api_key or oauth (older rows: api_key).
                "ALTER TABLE vault_credentials ADD COLUMN auth_method TEXT",
                // App sessions: bound to an origin (browsers) and the granted providers; the data
                // key sealed under the app's own token, as for logins.
                """
                CREATE TABLE IF NOT EXISTS vault_app_sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES vault_users (id) ON DELETE CASCADE,
                    token_hash TEXT UNIQUE NOT NULL,
                    app_name TEXT NOT NULL,
                    app_origin TEXT,
                    providers TEXT NOT NULL,
                    sealed_data_key TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )
                """,
                "CREATE INDEX IF NOT EXISTS vault_app_sessions_by_user ON vault_app_sessions (user_id)",
                // The owner's routing (groups, assignments, caps) as one JSON document per account.
                """
                CREATE TABLE IF NOT EXISTS vault_routing (
                    user_id TEXT PRIMARY KEY NOT NULL REFERENCES vault_users (id) ON DELETE CASCADE,
                    document TEXT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                // What /proxy served: the audit log, and what caps and usage count.
                """
                CREATE TABLE IF NOT EXISTS vault_request_log (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL,
                    session_id TEXT,
                    app_name TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    actual_provider TEXT NOT NULL,
                    model TEXT,
                    method TEXT NOT NULL,
                    path TEXT NOT NULL,
                    status BIGINT NOT NULL,
                    input_tokens BIGINT,
                    output_tokens BIGINT,
                    latency_ms BIGINT NOT NULL,
                    error_code TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX IF NOT EXISTS vault_request_log_by_app ON vault_request_log (user_id, app_name, created_at)",
                "CREATE INDEX IF NOT EXISTS vault_request_log_by_session ON vault_request_log (session_id)",
            ]
        ),
        Migration(
            version: 4,
            [
                // Gifts the owner asked the vault to serve while the giving wallet is offline; the
                // secrets are sealed under the operator's gift key, which is not in the database.
                """
                CREATE TABLE IF NOT EXISTS vault_gifts (
                    id TEXT PRIMARY KEY NOT NULL,
                    user_id TEXT NOT NULL REFERENCES vault_users (id) ON DELETE CASCADE,
                    provider TEXT NOT NULL,
                    label TEXT NOT NULL,
                    relay_url TEXT NOT NULL,
                    room_id TEXT NOT NULL,
                    max_tokens BIGINT NOT NULL,
                    used_tokens BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT,
                    sealed_secrets TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX IF NOT EXISTS vault_gifts_by_user ON vault_gifts (user_id)",
            ]
        ),
    ]
}
