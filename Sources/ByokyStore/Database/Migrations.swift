import SQLiteKit

/// The schema, as numbered steps applied in order, each once, each in a transaction.
enum Migrations {
    static let steps: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE wallet_settings (
                    key TEXT PRIMARY KEY NOT NULL,
                    value TEXT NOT NULL
                )
                """,
                """
                CREATE TABLE credentials (
                    id TEXT PRIMARY KEY NOT NULL,
                    provider TEXT NOT NULL,
                    label TEXT NOT NULL UNIQUE,
                    auth_method TEXT NOT NULL,
                    sealed_secret TEXT NOT NULL,
                    masked_secret TEXT NOT NULL,
                    base_url TEXT,
                    created_at INTEGER NOT NULL,
                    last_used_at INTEGER
                )
                """,
                """
                CREATE TABLE sessions (
                    id TEXT PRIMARY KEY NOT NULL,
                    key_hash TEXT NOT NULL UNIQUE,
                    app_name TEXT NOT NULL,
                    app_origin TEXT,
                    providers TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    revoked_at INTEGER
                )
                """,
                """
                CREATE TABLE request_log (
                    id TEXT PRIMARY KEY NOT NULL,
                    session_id TEXT,
                    app_name TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    actual_provider TEXT NOT NULL,
                    model TEXT,
                    method TEXT NOT NULL,
                    path TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    input_tokens INTEGER,
                    output_tokens INTEGER,
                    latency_ms INTEGER NOT NULL,
                    error_code TEXT,
                    created_at INTEGER NOT NULL
                )
                """,
                "CREATE INDEX request_log_by_time ON request_log (created_at)",
                "CREATE INDEX request_log_by_session ON request_log (session_id, created_at)",
            ]
        ),
        (
            2,
            [
                """
                CREATE TABLE allowances (
                    app_name TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    period TEXT NOT NULL,
                    token_limit INTEGER NOT NULL,
                    PRIMARY KEY (app_name, provider, period)
                )
                """,
                "CREATE INDEX request_log_by_app ON request_log (app_name, created_at)",
            ]
        ),
        (
            3,
            [
                """
                CREATE TABLE groups (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    provider TEXT NOT NULL,
                    credential_id TEXT,
                    model TEXT,
                    created_at INTEGER NOT NULL
                )
                """,
                """
                CREATE TABLE app_groups (
                    app_name TEXT PRIMARY KEY NOT NULL,
                    group_id TEXT NOT NULL REFERENCES groups(id) ON DELETE CASCADE
                )
                """,
            ]
        ),
        (
            4,
            [
                """
                CREATE TABLE gifts (
                    id TEXT PRIMARY KEY NOT NULL,
                    credential_id TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    label TEXT NOT NULL,
                    relay_url TEXT NOT NULL,
                    room_id TEXT NOT NULL UNIQUE,
                    sealed_sender_key TEXT NOT NULL,
                    sealed_token TEXT NOT NULL,
                    sealed_private_key TEXT NOT NULL,
                    public_key TEXT NOT NULL,
                    max_tokens INTEGER NOT NULL,
                    used_tokens INTEGER NOT NULL DEFAULT 0,
                    expires_at INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    revoked_at INTEGER
                )
                """,
                """
                CREATE TABLE received_gifts (
                    id TEXT PRIMARY KEY NOT NULL,
                    provider TEXT NOT NULL,
                    sender_label TEXT NOT NULL,
                    relay_url TEXT NOT NULL,
                    room_id TEXT NOT NULL,
                    public_key TEXT,
                    sealed_token TEXT NOT NULL,
                    max_tokens INTEGER NOT NULL,
                    used_tokens INTEGER NOT NULL DEFAULT 0,
                    expires_at INTEGER NOT NULL,
                    created_at INTEGER NOT NULL,
                    ended_reason TEXT
                )
                """,
                "ALTER TABLE groups ADD COLUMN gift_id TEXT",
            ]
        ),
        (
            5,
            [
                // Per-day totals of pruned audit-log rows, so usage and caps stay exact after a prune.
                """
                CREATE TABLE usage_days (
                    day INTEGER NOT NULL,
                    app_name TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    requests INTEGER NOT NULL,
                    input_tokens INTEGER NOT NULL,
                    output_tokens INTEGER NOT NULL,
                    counted_tokens INTEGER NOT NULL,
                    PRIMARY KEY (day, app_name, provider)
                )
                """
            ]
        ),
        (
            6,
            [
                // The log page's filters, newest first without a scan: by provider, and failures
                // only (a partial index: they are few, and a query for none must not read them all).
                "CREATE INDEX request_log_by_provider ON request_log (provider, created_at)",
                "CREATE INDEX request_log_failures ON request_log (created_at) WHERE status >= 400",
            ]
        ),
        (
            7,
            [
                // Gifts put on a token marketplace's board, with the sealed token that manages each.
                """
                CREATE TABLE gift_listings (
                    gift_id TEXT PRIMARY KEY NOT NULL REFERENCES gifts (id) ON DELETE CASCADE,
                    marketplace_url TEXT NOT NULL,
                    sealed_management_token TEXT NOT NULL,
                    display_name TEXT NOT NULL,
                    listed_at INTEGER NOT NULL,
                    reported_tokens INTEGER NOT NULL DEFAULT 0,
                    unlisted_at INTEGER
                )
                """
            ]
        ),
        (
            8,
            [
                // Apps installed from a marketplace's catalogue: their origin is trusted for the
                // providers they declared (connects approved without a prompt) while enabled.
                """
                CREATE TABLE installed_apps (
                    slug TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    url TEXT NOT NULL,
                    origin TEXT NOT NULL UNIQUE,
                    providers TEXT NOT NULL,
                    description TEXT NOT NULL,
                    author_name TEXT NOT NULL,
                    marketplace_url TEXT NOT NULL,
                    installed_at INTEGER NOT NULL,
                    disabled_at INTEGER
                )
                """
            ]
        ),
        (
            9,
            [
                // A key's version for syncing (a rename or a new secret makes it newer; empty: its
                // creation), and removals remembered until a vault has heard of them.
                "ALTER TABLE credentials ADD COLUMN updated_at INTEGER",
                """
                CREATE TABLE credential_tombstones (
                    id TEXT PRIMARY KEY NOT NULL,
                    removed_at INTEGER NOT NULL
                )
                """,
            ]
        ),
        (
            10,
            [
                // Gifts the owner has the vault serve while this wallet is offline.
                "ALTER TABLE gifts ADD COLUMN served_by_vault INTEGER NOT NULL DEFAULT 0"
            ]
        ),
    ]

    static func apply(to database: any SQLDatabase) async throws {
        try await database.raw(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)"
        ).run()
        let current = try await currentVersion(of: database)
        for step in steps where step.version > current {
            try await database.raw("BEGIN IMMEDIATE").run()
            do {
                for statement in step.statements { try await database.raw(SQLQueryString(statement)).run() }
                try await database.raw(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(bind: step.version), \(bind: WallClock.nowMilliseconds()))"
                ).run()
                try await database.raw("COMMIT").run()
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    static func currentVersion(of database: any SQLDatabase) async throws -> Int {
        struct Row: Decodable { let version: Int? }
        let row = try await database.raw("SELECT MAX(version) AS version FROM schema_migrations").first(
            decoding: Row.self
        )
        return row?.version ?? 0
    }
}
