import ByokyTesting
import Foundation
import SQLiteKit
import Testing

@testable import ByokyStore

/// Every shape of the log page's query is answered from an index, newest first, without reading
/// the rows a page does not show: read from SQLite's own query plan, so it holds at any size.
@Suite(.timeLimit(.minutes(3)))
struct LogPageQueryPlanTests {
    static let cursor = LogCursor(createdAt: 1_700_000_000_000, id: "f0e1d2")

    static let shapes: [(name: String, filter: LogFilter, cursor: LogCursor?)] = [
        ("newest", LogFilter(), nil),
        ("deeper", LogFilter(), cursor),
        ("one app", LogFilter(app: "notes"), cursor),
        ("one provider", LogFilter(provider: "mistral"), cursor),
        ("failures", LogFilter(outcome: .failed), cursor),
        ("failures of one provider", LogFilter(provider: "groq", outcome: .failed), nil),
        ("successes", LogFilter(outcome: .succeeded), cursor),
        ("a time range", LogFilter(since: 1_600_000_000_000), cursor),
    ]

    /// SQLite's plan for `builder`, one line per step (binds inlined: EXPLAIN takes no binds here).
    static func plan(of builder: SQLSelectBuilder, in database: any SQLDatabase) async throws -> [String] {
        var (sql, binds) = database.serialize(builder.query)
        for (index, bind) in binds.enumerated().reversed() {
            let literal =
                switch bind {
                case let text as String: "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
                default: "\(bind)"
                }
            sql = sql.replacingOccurrences(of: "$\(index + 1)", with: literal)
        }
        let steps = Locked<[String]>([])
        try await database.execute(sql: SQLRaw("EXPLAIN QUERY PLAN " + sql)) { row in
            if let detail = try? row.decode(column: "detail", as: String.self) { steps.withLock { $0.append(detail) } }
        }
        return steps.withLock { $0 }
    }

    @Test func everyFilterIsServedByAnIndexInTimeOrder() async throws {
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            var plans: [String: [String]] = [:]
            for shape in Self.shapes {
                let query = store.requestLogPageQuery(shape.filter, after: shape.cursor, limit: 50)
                let plan = try await Self.plan(of: query, in: store.database)
                plans[shape.name] = plan
                // Walked on an index (never a scan of the table), in the index's time order: at most
                // the rows sharing one timestamp are sorted, never the whole result.
                #expect(plan.contains { $0.contains("USING INDEX request_log_") }, "\(shape.name): \(plan)")
                #expect(!plan.contains { $0.hasPrefix("SCAN request_log") && !$0.contains("INDEX") }, "\(shape.name)")
                #expect(!plan.contains { $0.contains("MULTI-INDEX OR") }, "\(shape.name): \(plan)")
                #expect(!plan.contains("USE TEMP B-TREE FOR ORDER BY"), "\(shape.name): \(plan)")
            }
            #expect(plans["one provider"]?.contains { $0.contains("request_log_by_provider") } == true, "\(plans)")
            #expect(plans["failures"]?.contains { $0.contains("request_log_failures") } == true, "\(plans)")
            try await store.close()
        }
    }
}
