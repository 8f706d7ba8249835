import ByokyCore
import ByokyServerStore
import ByokyTesting
import SQLKit
import Testing

/// The servers' database on both engines: migrations apply once, in order, all or nothing, even
/// when several instances start at once; PostgreSQL that gives no connection fails in bounded time.
@Suite(.timeLimit(.minutes(3)))
struct ServerDatabaseTests {
    struct Count: Decodable { let count: Int }

    static func rows(in table: String, of database: ServerDatabase) async throws -> Int {
        try await database.withSQL { sql in
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from(table)
                .first(decoding: Count.self)?.count ?? -1
        }
    }

    static let first = Migration(version: 1, ["CREATE TABLE notes (body TEXT NOT NULL)"])
    static let second = Migration(version: 2, ["INSERT INTO notes (body) VALUES ('from two')"])
    static let third = Migration(version: 3, ["INSERT INTO notes (body) VALUES ('from three')"])

    @Test(arguments: TestDatabase.available)
    func migrationsApplyOnceAndInOrder(on kind: TestDatabase) async throws {
        try await TemporaryFolder.with { folder in
            let location = try await kind.freshLocation(in: folder, name: "steps")
            // Given out of order: applied by version.
            let early = try await ServerDatabase.open(location, migrations: [Self.second, Self.first])
            #expect(try await Self.rows(in: "notes", of: early) == 1)
            try await early.close()
            let later = try await ServerDatabase.open(location, migrations: [Self.first, Self.second, Self.third])
            #expect(try await Self.rows(in: "notes", of: later) == 2)
            #expect(try await Self.rows(in: "schema_migrations", of: later) == 3)
            #expect(later.kind.rawValue == kind.rawValue)
            try await later.close()
        }
    }

    /// The vault and the marketplace share one database in a deployment: each keeps its own
    /// history, so one's version 1 never counts as the other's.
    @Test(arguments: TestDatabase.available)
    func servicesSharingADatabaseKeepSeparateHistories(on kind: TestDatabase) async throws {
        try await TemporaryFolder.with { folder in
            let location = try await kind.freshLocation(in: folder, name: "shared")
            let one = try await ServerDatabase.open(location, migrations: [Self.first, Self.second])
            try await one.close()
            let other = try await ServerDatabase.open(
                location,
                migrations: [Migration(version: 1, ["CREATE TABLE others (body TEXT NOT NULL)"])],
                history: "other_schema_migrations"
            )
            #expect(try await Self.rows(in: "others", of: other) == 0)
            #expect(try await Self.rows(in: "other_schema_migrations", of: other) == 1)
            #expect(try await Self.rows(in: "schema_migrations", of: other) == 2)
            try await other.close()
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFailingStepChangesNothingAndStopsTheStart(on kind: TestDatabase) async throws {
        try await TemporaryFolder.with { folder in
            let location = try await kind.freshLocation(in: folder, name: "broken")
            let broken = Migration(
                version: 2,
                ["INSERT INTO notes (body) VALUES ('half')", "INSERT INTO nowhere VALUES (1)"]
            )
            await #expect(throws: ByokyError.self) {
                _ = try await ServerDatabase.open(location, migrations: [Self.first, broken])
            }
            let mended = try await ServerDatabase.open(location, migrations: [Self.first, Self.second])
            let bodies = try await mended.withSQL { sql in
                struct Note: Decodable { let body: String }
                return try await sql.select().column("body").from("notes").all(decoding: Note.self).map(\.body)
            }
            #expect(bodies == ["from two"])
            try await mended.close()
        }
    }

    /// PostgreSQL is where several instances share a database (a SQLite file has one server process:
    /// in one process, connections waiting on SQLite's lock would hold every thread of its pool).
    @Test(.enabled(if: TestDatabase.available.contains(.postgres)))
    func instancesStartingTogetherApplyEachStepOnce() async throws {
        try await TemporaryFolder.with { folder in
            let location = try await TestDatabase.postgres.freshLocation(in: folder, name: "together")
            // `CREATE TABLE` without IF NOT EXISTS: a second application would fail the start.
            let steps = [Self.first, Self.second, Self.third]
            let starts = await withTaskGroup(of: Result<ServerDatabase, any Error>.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        do { return .success(try await ServerDatabase.open(location, migrations: steps)) } catch {
                            return .failure(error)
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let opened = starts.compactMap { try? $0.get() }
            for case .failure(let error) in starts { Issue.record(error, "an instance did not start") }
            #expect(opened.count == 4)
            if let any = opened.first { #expect(try await Self.rows(in: "notes", of: any) == 2) }
            for database in opened { try await database.close() }
        }
    }

    @Test(.enabled(if: TestDatabase.available.contains(.postgres)))
    func noConnectionInTimeIsUnavailableNotAHang() async throws {
        try await TemporaryFolder.with { folder in
            let location = try await TestDatabase.postgres.freshLocation(in: folder, name: "busy")
            let database = try await ServerDatabase.open(
                location,
                migrations: [Self.first],
                leaseTimeout: .seconds(1),
                maximumConnections: 1
            )
            let holder = Task {
                try await database.withSQL { sql in try await sql.raw("SELECT pg_sleep(10)").run() }
            }
            try await Task.sleep(for: .milliseconds(500))
            let started = ContinuousClock.now
            await #expect(throws: DatabaseUnavailable.self) {
                try await database.withSQL { sql in try await sql.raw("SELECT 1").run() }
            }
            // Well before the holder lets go (a loaded test run may start the timer late).
            #expect(ContinuousClock.now - started < .seconds(8))
            try await holder.value
            // Once the connection is back, queries run again.
            #expect(try await Self.rows(in: "notes", of: database) == 0)
            try await database.close()
        }
    }
}
