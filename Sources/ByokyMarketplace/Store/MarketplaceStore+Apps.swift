public import ByokyCore
import ByokyServerStore
import Foundation
import SQLKit

extension MarketplaceStore {
    static let appMigrations = [
        Migration(
            version: 2,
            [
                """
                CREATE TABLE marketplace_apps (
                    id TEXT PRIMARY KEY NOT NULL,
                    slug TEXT NOT NULL UNIQUE,
                    manifest TEXT NOT NULL,
                    search_text TEXT NOT NULL,
                    category TEXT NOT NULL,
                    state TEXT NOT NULL,
                    reason TEXT,
                    submission_token_hash TEXT NOT NULL,
                    submitted_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    approved_at BIGINT
                )
                """,
                "CREATE INDEX marketplace_apps_by_state ON marketplace_apps (state, approved_at)",
                "CREATE INDEX marketplace_apps_by_category ON marketplace_apps (state, category, approved_at)",
            ]
        )
    ]

    /// Adds a submission; `false` when its slug is taken (one statement: two submitters racing for
    /// a slug cannot both get it).
    public func submit(_ app: SubmittedApp) async throws -> Bool {
        struct Inserted: Decodable { let id: String }
        return try await database.withSQL { sql in
            try await sql.insert(into: "marketplace_apps").model(app).ignoringConflicts(with: "slug")
                .returning("id").all(decoding: Inserted.self)
        }.isEmpty == false
    }

    public func app(slug: String) async throws -> SubmittedApp? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("marketplace_apps").where("slug", .equal, slug)
                .first(decoding: SubmittedApp.self)
        }
    }

    public func app(id: String) async throws -> SubmittedApp? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("marketplace_apps").where("id", .equal, id)
                .first(decoding: SubmittedApp.self)
        }
    }

    /// Replaces a submission's manifest with a new version, back to pending review.
    public func resubmit(id: String, manifest: AppManifest, now: Int64) async throws {
        let json = String(decoding: try JSONEncoder().encode(manifest), as: UTF8.self)
        try await database.withSQL { sql in
            try await sql.update("marketplace_apps").set("manifest", to: json)
                .set("search_text", to: SubmittedApp.searchText(of: manifest))
                .set("category", to: manifest.category.rawValue).set("state", to: AppReviewState.pending.rawValue)
                .set("reason", to: SQLLiteral.null).set("updated_at", to: now).where("id", .equal, id).run()
        }
    }

    /// Approved apps, newest approval first; `search` matches words of the name or description.
    public func approvedApps(
        search: String?,
        category: AppCategory?,
        limit: Int,
        offset: Int
    ) async throws
        -> [SubmittedApp]
    {
        try await database.withSQL { sql in
            var query = sql.select().column("*").from("marketplace_apps")
                .where("state", .equal, AppReviewState.approved.rawValue)
            if let category { query = query.where("category", .equal, category.rawValue) }
            for word in (search ?? "").lowercased().split(whereSeparator: \.isWhitespace).prefix(5) {
                query = query.where(
                    SQLBinaryExpression(SQLColumn("search_text"), .like, SQLBind("%" + Self.likeEscaped(word) + "%"))
                )
            }
            return try await query.orderBy("approved_at", .descending).orderBy("id").limit(limit).offset(offset)
                .all(decoding: SubmittedApp.self)
        }
    }

    /// Submissions for reviewers, oldest first; every state when `state` is nil.
    public func submissions(in state: AppReviewState?, limit: Int) async throws -> [SubmittedApp] {
        try await database.withSQL { sql in
            var query = sql.select().column("*").from("marketplace_apps")
            if let state { query = query.where("state", .equal, state.rawValue) }
            return try await query.orderBy("updated_at").orderBy("id").limit(limit).all(decoding: SubmittedApp.self)
        }
    }

    /// Moves a submission to `state` when it is in one of `from`; `false` (nothing changed) otherwise.
    public func review(
        id: String,
        to state: AppReviewState,
        from: Set<AppReviewState>,
        reason: String?,
        now: Int64
    ) async throws -> Bool {
        struct Updated: Decodable { let id: String }
        return try await database.withSQL { sql in
            var update = sql.update("marketplace_apps").set("state", to: state.rawValue)
                .set("reason", to: reason.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                .set("updated_at", to: now)
            if state == .approved { update = update.set("approved_at", to: now) }
            return try await update.where("id", .equal, id).where("state", .in, from.map(\.rawValue).sorted())
                .returning("id").all(decoding: Updated.self)
        }.isEmpty == false
    }

    /// `text` with LIKE's wildcards taken literally (no ESCAPE clause: `%` and `_` are dropped).
    static func likeEscaped(_ text: some StringProtocol) -> String {
        String(text.filter { $0 != "%" && $0 != "_" })
    }
}
