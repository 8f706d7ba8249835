import ByokyCore
import Foundation
import Logging
import SQLiteKit

/// The board's gifts in one SQLite file, through SQLKit (so PostgreSQL can share the queries).
public final class MarketplaceStore: Sendable {
    let database: any SQLDatabase
    private let connection: SQLiteConnection

    private init(connection: SQLiteConnection) {
        self.connection = connection
        database = connection.sql()
    }

    /// Opens (creating) the database at `path` and brings its schema up to date.
    ///
    /// - Throws: ``ByokyError`` `INTERNAL_ERROR` when the file cannot be opened.
    public static func open(at path: String) async throws -> MarketplaceStore {
        var logger = Logger(label: "byoky.marketplace.store")
        logger.logLevel = .warning
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw ByokyError(.internalError, "Cannot open the marketplace database at \(path)", underlying: error)
        }
        let store = MarketplaceStore(connection: connection)
        do {
            try await store.database.raw("PRAGMA journal_mode=WAL").run()
            try await store.database.raw("PRAGMA synchronous=NORMAL").run()
            try await store.migrate()
        } catch {
            try? await connection.close()
            throw ByokyError(.internalError, "Cannot prepare the marketplace database at \(path)", underlying: error)
        }
        return store
    }

    public func close() async throws {
        try await connection.close()
    }

    private func migrate() async throws {
        try await database.raw(
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
            """
        ).run()
        // The board's queries walk these newest first: every gift, one provider's, the expired ones,
        // and the used-up ones (a partial index: they are few).
        for statement in [
            "CREATE INDEX IF NOT EXISTS marketplace_gifts_by_listing ON marketplace_gifts (listed_at)",
            "CREATE INDEX IF NOT EXISTS marketplace_gifts_by_provider ON marketplace_gifts (provider, listed_at)",
            "CREATE INDEX IF NOT EXISTS marketplace_gifts_by_expiry ON marketplace_gifts (expires_at)",
            "CREATE INDEX IF NOT EXISTS marketplace_gifts_used_up ON marketplace_gifts (listed_at) "
                + "WHERE tokens_used >= token_budget",
        ] {
            try await database.raw(SQLQueryString(statement)).run()
        }
    }

    /// Adds a gift; `false` when its id is listed already.
    public func insert(_ gift: ListedGift) async throws -> Bool {
        guard try await self.gift(gift.id) == nil else { return false }
        try await database.insert(into: "marketplace_gifts").model(gift).run()
        return true
    }

    public func gift(_ id: String) async throws -> ListedGift? {
        try await database.select().column("*").from("marketplace_gifts").where("id", .equal, id)
            .first(decoding: ListedGift.self)
    }

    /// Listed gifts still usable at `now`, newest first.
    public func active(now: Int64, provider: String?, limit: Int, offset: Int) async throws -> [ListedGift] {
        // `+expires_at` keeps SQLite off the expiry index here: that range holds nearly every gift,
        // and walking it would mean sorting them all, where the listing index is already in order.
        var query = database.select().column("*").from("marketplace_gifts")
            .where("unlisted", .equal, false)
            .where(SQLBinaryExpression(SQLRaw("+expires_at"), .greaterThan, SQLBind(now)))
            .where(SQLColumn("tokens_used"), .lessThan, SQLColumn("token_budget"))
        if let provider { query = query.where("provider", .equal, provider) }
        return try await query.orderBy("listed_at", .descending).orderBy("id").limit(limit).offset(offset)
            .all(decoding: ListedGift.self)
    }

    /// Listed gifts that expired or ran out, newest first: two index walks (an OR of the two
    /// conditions would read every gift), merged.
    public func ended(now: Int64, provider: String?, limit: Int) async throws -> [ListedGift] {
        var expired = database.select().column("*").from("marketplace_gifts").where("unlisted", .equal, false)
            .where("expires_at", .lessThanOrEqual, now)
        var usedUp = database.select().column("*").from("marketplace_gifts").where("unlisted", .equal, false)
            .where(SQLRaw("tokens_used >= token_budget"))
        if let provider {
            expired = expired.where("provider", .equal, provider)
            usedUp = usedUp.where("provider", .equal, provider)
        }
        var merged: [String: ListedGift] = [:]
        for query in [expired, usedUp] {
            for gift in try await query.orderBy("listed_at", .descending).limit(limit).all(decoding: ListedGift.self) {
                merged[gift.id] = gift
            }
        }
        return merged.values.sorted { ($0.listedAt, $1.id) > ($1.listedAt, $0.id) }.prefix(limit).map { $0 }
    }

    public func unlist(_ id: String) async throws {
        try await database.update("marketplace_gifts").set("unlisted", to: true).where("id", .equal, id).run()
    }

    public func setUsage(_ id: String, tokensUsed: Int) async throws {
        try await database.update("marketplace_gifts").set("tokens_used", to: tokensUsed).where("id", .equal, id).run()
    }

    public func heartbeat(_ id: String, at time: Int64) async throws {
        try await database.update("marketplace_gifts").set("last_seen_at", to: time).where("id", .equal, id).run()
    }

    /// How many gifts are listed and usable now (for /metrics).
    public func activeCount(now: Int64) async throws -> Int {
        struct Count: Decodable { let count: Int }
        return try await database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count")
            .from("marketplace_gifts").where("unlisted", .equal, false).where("expires_at", .greaterThan, now)
            .where(SQLColumn("tokens_used"), .lessThan, SQLColumn("token_budget"))
            .first(decoding: Count.self)?.count ?? 0
    }
}
