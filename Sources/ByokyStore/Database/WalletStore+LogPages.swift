import SQLiteKit

/// A filtered view of the audit log, read a page at a time.
public struct LogFilter: Sendable, Hashable {
    /// Which statuses to show.
    public enum Outcome: String, Sendable, Hashable, CaseIterable {
        case all, succeeded, failed
    }

    public var app: String?
    public var provider: String?
    public var outcome: Outcome
    /// Only entries at or after this time (Unix ms).
    public var since: Int64?

    public init(app: String? = nil, provider: String? = nil, outcome: Outcome = .all, since: Int64? = nil) {
        self.app = app
        self.provider = provider
        self.outcome = outcome
        self.since = since
    }
}

/// Where a log page ends: the next page starts after this entry.
public struct LogCursor: Sendable, Hashable {
    public let createdAt: Int64
    public let id: String

    public init(createdAt: Int64, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// `createdAt.id`, as it travels in a page link.
    public var token: String { "\(createdAt).\(id)" }

    /// Reads ``token``; `nil` for anything else.
    public init?(token: String) {
        let parts = token.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let time = Int64(parts[0]), parts[1].count <= 64 else { return nil }
        self.init(createdAt: time, id: String(parts[1]))
    }
}

extension WalletStore {
    /// Up to `limit` entries matching `filter`, newest first, after `cursor`. Keyset pagination on
    /// the `created_at` indexes, so a page deep in a large log costs what the first one does.
    public func requestLogPage(
        _ filter: LogFilter,
        after cursor: LogCursor?,
        limit: Int
    ) async throws -> [RequestLogRecord] {
        await logWriter.waitUntilWritten()
        return try await requestLogPageQuery(filter, after: cursor, limit: limit).all(decoding: RequestLogRecord.self)
    }

    /// The query of ``requestLogPage(_:after:limit:)`` (tests read its plan).
    func requestLogPageQuery(_ filter: LogFilter, after cursor: LogCursor?, limit: Int) -> SQLSelectBuilder {
        var query = database.select().column("*").from("request_log")
        if let app = filter.app { query = query.where("app_name", .equal, app) }
        if let provider = filter.provider { query = query.where("provider", .equal, provider) }
        switch filter.outcome {
        case .all: break
        case .succeeded: query = query.where("status", .lessThan, 400)
        // A literal, not a bound value: SQLite uses the partial index of failures only when the
        // query's terms prove its condition.
        case .failed: query = query.where(SQLRaw("status >= 400"))
        }
        if let since = filter.since { query = query.where("created_at", .greaterThanOrEqual, since) }
        if let cursor {
            // `created_at <= t AND (created_at < t OR id < i)`: the same rows as `created_at < t OR
            // (created_at = t AND id < i)`, but the first term is a range SQLite walks on the index,
            // where the plain OR made it merge two index searches and sort every older row.
            query = query.where("created_at", .lessThanOrEqual, cursor.createdAt).where { group in
                group.where("created_at", .lessThan, cursor.createdAt).orWhere("id", .lessThan, cursor.id)
            }
        }
        return query.orderBy("created_at", .descending).orderBy("id", .descending)
            .limit(min(max(limit, 1), 1000))
    }
}
