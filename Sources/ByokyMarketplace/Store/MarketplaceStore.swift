public import ByokyServerStore
import SQLKit

/// The board's gifts, in a SQLite file or PostgreSQL (one set of SQLKit queries for both).
public final class MarketplaceStore: Sendable {
    let database: ServerDatabase

    private init(database: ServerDatabase) {
        self.database = database
    }

    /// Opens (creating) the database and brings its schema up to date.
    ///
    /// - Throws: ``ByokyError`` `INTERNAL_ERROR` when it cannot be reached or prepared.
    public static func open(_ location: DatabaseLocation) async throws -> MarketplaceStore {
        MarketplaceStore(database: try await ServerDatabase.open(location, migrations: migrations + appMigrations))
    }

    /// Opens (creating) the SQLite file at `path`.
    public static func open(at path: String) async throws -> MarketplaceStore {
        try await open(.sqliteFile(path: path))
    }

    public func close() async throws {
        try await database.close()
    }

    /// Where the gifts live (for the startup line; never a password).
    public var location: DatabaseLocation { database.location }

    static let migrations = [
        Migration(
            version: 1,
            [
                """
                CREATE TABLE IF NOT EXISTS marketplace_gifts (
                    id TEXT PRIMARY KEY NOT NULL,
                    provider TEXT NOT NULL,
                    gifter_name TEXT NOT NULL,
                    gift_link TEXT NOT NULL,
                    relay_url TEXT NOT NULL,
                    token_budget BIGINT NOT NULL,
                    tokens_used BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    listed_at BIGINT NOT NULL,
                    last_seen_at BIGINT NOT NULL,
                    unlisted BOOLEAN NOT NULL,
                    management_token_hash TEXT NOT NULL
                )
                """,
                // The board's queries walk these newest first: every gift, one provider's, the expired
                // ones, and the used-up ones (a partial index: they are few).
                "CREATE INDEX IF NOT EXISTS marketplace_gifts_by_listing ON marketplace_gifts (listed_at)",
                "CREATE INDEX IF NOT EXISTS marketplace_gifts_by_provider ON marketplace_gifts (provider, listed_at)",
                "CREATE INDEX IF NOT EXISTS marketplace_gifts_by_expiry ON marketplace_gifts (expires_at)",
                "CREATE INDEX IF NOT EXISTS marketplace_gifts_used_up ON marketplace_gifts (listed_at) "
                    + "WHERE tokens_used >= token_budget",
            ]
        )
    ]

    /// Adds a gift; `false` when its id is listed already (one statement, so two instances listing the
    /// same gift at once cannot both succeed).
    public func insert(_ gift: ListedGift) async throws -> Bool {
        struct Inserted: Decodable { let id: String }
        return try await database.withSQL { sql in
            try await sql.insert(into: "marketplace_gifts").model(gift).ignoringConflicts(with: "id")
                .returning("id").all(decoding: Inserted.self)
        }.isEmpty == false
    }

    public func gift(_ id: String) async throws -> ListedGift? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("marketplace_gifts").where("id", .equal, id)
                .first(decoding: ListedGift.self)
        }
    }

    /// Listed gifts still usable at `now`, newest first.
    public func active(now: Int64, provider: String?, limit: Int, offset: Int) async throws -> [ListedGift] {
        try await database.withSQL { sql in
            // `+expires_at` keeps SQLite off the expiry index here: that range holds nearly every gift,
            // and walking it would mean sorting them all, where the listing index is already in order.
            var query = sql.select().column("*").from("marketplace_gifts")
                .where("unlisted", .equal, false)
                .where(SQLBinaryExpression(SQLRaw("+expires_at"), .greaterThan, SQLBind(now)))
                .where(SQLColumn("tokens_used"), .lessThan, SQLColumn("token_budget"))
            if let provider { query = query.where("provider", .equal, provider) }
            return try await query.orderBy("listed_at", .descending).orderBy("id").limit(limit).offset(offset)
                .all(decoding: ListedGift.self)
        }
    }

    /// Listed gifts that expired or ran out, newest first: two index walks (an OR of the two
    /// conditions would read every gift), merged.
    public func ended(now: Int64, provider: String?, limit: Int) async throws -> [ListedGift] {
        let found = try await database.withSQL { sql in
            var expired = sql.select().column("*").from("marketplace_gifts").where("unlisted", .equal, false)
                .where("expires_at", .lessThanOrEqual, now)
            var usedUp = sql.select().column("*").from("marketplace_gifts").where("unlisted", .equal, false)
                .where(SQLRaw("tokens_used >= token_budget"))
            if let provider {
                expired = expired.where("provider", .equal, provider)
                usedUp = usedUp.where("provider", .equal, provider)
            }
            var found: [ListedGift] = []
            for query in [expired, usedUp] {
                found += try await query.orderBy("listed_at", .descending).limit(limit).all(decoding: ListedGift.self)
            }
            return found
        }
        let merged = Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return merged.values.sorted { ($0.listedAt, $1.id) > ($1.listedAt, $0.id) }.prefix(limit).map { $0 }
    }

    public func unlist(_ id: String) async throws {
        try await database.withSQL { sql in
            try await sql.update("marketplace_gifts").set("unlisted", to: true).where("id", .equal, id).run()
        }
    }

    /// Raises a gift's usage to `tokensUsed`; `false` (and nothing changed) when more is recorded
    /// already. One statement, so concurrent reports on any instance never lower it.
    public func raiseUsage(_ id: String, to tokensUsed: Int) async throws -> Bool {
        struct Updated: Decodable { let id: String }
        return try await database.withSQL { sql in
            try await sql.update("marketplace_gifts").set("tokens_used", to: tokensUsed).where("id", .equal, id)
                .where("tokens_used", .lessThanOrEqual, tokensUsed).where(
                    "token_budget",
                    .greaterThanOrEqual,
                    tokensUsed
                )
                .returning("id").all(decoding: Updated.self)
        }.isEmpty == false
    }

    public func heartbeat(_ id: String, at time: Int64) async throws {
        try await database.withSQL { sql in
            try await sql.update("marketplace_gifts").set("last_seen_at", to: time).where("id", .equal, id).run()
        }
    }

    /// How many gifts are listed and usable now (for /metrics).
    public func activeCount(now: Int64) async throws -> Int {
        struct Count: Decodable { let count: Int }
        return try await database.withSQL { sql in
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
                .from("marketplace_gifts").where("unlisted", .equal, false).where("expires_at", .greaterThan, now)
                .where(SQLColumn("tokens_used"), .lessThan, SQLColumn("token_budget"))
                .first(decoding: Count.self)?.count ?? 0
        }
    }
}
