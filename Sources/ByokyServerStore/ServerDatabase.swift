import ByokyCore
import Foundation
public import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
public import SQLKit
import SQLiteKit
import Synchronization

/// A server's database behind one SQLKit interface: a SQLite file (one connection, the default) or
/// PostgreSQL (a connection pool, for several instances on one database).
public final class ServerDatabase: Sendable {
    public enum Kind: String, Sendable { case sqlite, postgres }

    private enum Backend: Sendable {
        case sqlite(SQLiteConnection)
        case postgres(PostgresClient, Task<Void, Never>, MultiThreadedEventLoopGroup)
    }

    private let backend: Backend
    public let location: DatabaseLocation
    /// How long a query waits for a PostgreSQL connection before ``DatabaseUnavailable``.
    let leaseTimeout: Duration

    public var kind: Kind {
        switch backend {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    private init(backend: Backend, location: DatabaseLocation, leaseTimeout: Duration) {
        self.backend = backend
        self.location = location
        self.leaseTimeout = leaseTimeout
    }

    /// Opens the database (creating a SQLite file) and brings its schema up to `migrations`, whose
    /// applied versions are recorded in the table `history` (one per service sharing a database).
    ///
    /// PostgreSQL gets a pool of at most `maximumConnections`; a query that waits `leaseTimeout` for
    /// one fails with ``DatabaseUnavailable``.
    ///
    /// - Throws: ``ByokyError`` `INTERNAL_ERROR` naming the location (never a password) when it cannot
    ///   be reached or prepared.
    public static func open(
        _ location: DatabaseLocation,
        migrations: [Migration],
        history: String = "schema_migrations",
        leaseTimeout: Duration = .seconds(10),
        maximumConnections: Int = 20,
        logger: Logger = Logger(label: "byoky.database")
    ) async throws -> ServerDatabase {
        let database: ServerDatabase
        switch location {
        case .sqliteFile(let path):
            var quiet = logger
            quiet.logLevel = .warning
            do {
                let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: quiet)
                database = ServerDatabase(backend: .sqlite(connection), location: location, leaseTimeout: leaseTimeout)
            } catch {
                throw ByokyError(.internalError, "Cannot open the \(location.description)", underlying: error)
            }
        case .postgres(let url, let password):
            // A thread of its own for the database's I/O: a server busy elsewhere (or a test run
            // with hundreds of servers) never makes the database wait behind other work.
            let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let configuration: PostgresClient.Configuration
            do {
                let core = try Self.connectionConfiguration(url: url, password: password)
                try await Self.probe(core, on: loop, logger: logger)
                configuration = try Self.clientConfiguration(core, maximumConnections: maximumConnections)
            } catch let error as ByokyError {
                try? await loop.shutdownGracefully()
                throw ByokyError(error.code, "\(error.message) (\(location.description))")
            } catch {
                try? await loop.shutdownGracefully()
                throw ByokyError(.internalError, "Cannot read the database URL (\(location.description))")
            }
            // Its one warning at this level is a lease racing `run()` starting below: harmless.
            var background = logger
            background.logLevel = .error
            let client = PostgresClient(
                configuration: configuration,
                eventLoopGroup: loop,
                backgroundLogger: background
            )
            let running = Task { await client.run() }
            database = ServerDatabase(
                backend: .postgres(client, running, loop),
                location: location,
                leaseTimeout: leaseTimeout
            )
        }
        do {
            try await database.prepare(migrations, history: history)
        } catch {
            try? await database.close()
            throw ByokyError(.internalError, "Cannot prepare the \(location.description)", underlying: error)
        }
        return database
    }

    /// Runs `body` with a database: the one SQLite connection, or a pooled PostgreSQL connection held
    /// for the whole of `body` (so statements in it share a session).
    ///
    /// - Throws: ``DatabaseUnavailable`` when PostgreSQL gives no connection within `leaseTimeout`
    ///   (it is down or every connection is busy), or what `body` throws.
    public func withSQL<Result: Sendable>(
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await withSQL(waitingAtMost: leaseTimeout, body)
    }

    private func withSQL<Result: Sendable>(
        waitingAtMost timeout: Duration,
        _ body: @escaping @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        switch backend {
        case .sqlite(let connection):
            return try await body(connection.sql())
        case .postgres(let client, _, _):
            let leased = LeaseFlag()
            return try await withThrowingTaskGroup(of: LeaseOutcome<Result>.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        leased.set()
                        return .done(try await body(connection.sql(queryLogLevel: nil)))
                    }
                }
                // Only the wait for a connection is bounded: a long query that has one runs on.
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return leased.isSet ? .leasedInTime : .waitedTooLong
                }
                defer { group.cancelAll() }
                while let outcome = try await group.next() {
                    switch outcome {
                    case .done(let result): return result
                    case .waitedTooLong: throw DatabaseUnavailable()
                    case .leasedInTime: continue
                    }
                }
                throw DatabaseUnavailable()
            }
        }
    }

    public func close() async throws {
        switch backend {
        case .sqlite(let connection):
            try await connection.close()
        case .postgres(_, let running, let loop):
            running.cancel()
            await running.value
            try await loop.shutdownGracefully()
        }
    }

    private func prepare(_ migrations: [Migration], history: String) async throws {
        guard !migrations.isEmpty else { return }
        let kind = self.kind
        // The first connection of the pool is made here: give it the connect timeout and more.
        try await withSQL(waitingAtMost: max(leaseTimeout, .seconds(30))) { sql in
            switch kind {
            case .sqlite:
                // Another process (a second instance, a backup) may hold the write lock for a moment.
                try await sql.raw("PRAGMA busy_timeout=5000").run()
                try await sql.raw("PRAGMA journal_mode=WAL").run()
                try await sql.raw("PRAGMA synchronous=NORMAL").run()
                try await Migration.apply(migrations, on: sql, begin: "BEGIN IMMEDIATE", history: history)
            case .postgres:
                // Instances starting together take turns: the lock lasts while this session holds it.
                try await sql.raw("SELECT pg_advisory_lock(\(literal: Migration.lockKey))").run()
                do {
                    try await Migration.apply(migrations, on: sql, begin: "BEGIN", history: history)
                } catch {
                    try? await sql.raw("SELECT pg_advisory_unlock(\(literal: Migration.lockKey))").run()
                    throw error
                }
                try await sql.raw("SELECT pg_advisory_unlock(\(literal: Migration.lockKey))").run()
            }
        }
    }

    private static func connectionConfiguration(
        url: String,
        password: String?
    ) throws -> PostgresConnection.Configuration {
        var core = try SQLPostgresConfiguration(url: url).coreConfiguration
        if let password { core.password = password }
        core.options.connectTimeout = .seconds(10)
        return core
    }

    /// One connection made and closed, so a wrong address, user, password or database is reported at
    /// start with the server's reason (the pool would only wait).
    private static func probe(
        _ configuration: PostgresConnection.Configuration,
        on loop: any EventLoopGroup,
        logger: Logger
    ) async throws {
        do {
            let connection = try await PostgresConnection.connect(
                on: loop.any(),
                configuration: configuration,
                id: 0,
                logger: logger
            ).get()
            try? await connection.close()
        } catch let error as PSQLError {
            let reason = error.serverInfo?[.message] ?? error.underlying.map { "\($0)" } ?? "\(error.code)"
            throw ByokyError(.internalError, "Cannot connect to PostgreSQL: \(reason)")
        }
    }

    private static func clientConfiguration(
        _ core: PostgresConnection.Configuration,
        maximumConnections: Int
    ) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch (core.tls.isEnforced, core.tls.isAllowed, core.tls.sslContext?.configuration) {
            case (true, _, let context?): .require(context)
            case (false, true, let context?): .prefer(context)
            default: .disable
            }
        guard let host = core.host, let port = core.port else {
            throw ByokyError(.invalidRequest, "The database URL must name a host and port")
        }
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: core.username,
            password: core.password,
            database: core.database,
            tls: tls
        )
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = max(1, maximumConnections)
        return configuration
    }
}

/// Set once a pooled query holds its connection.
private final class LeaseFlag: Sendable {
    private let value = Atomic(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

/// How a pooled query's race against its lease timeout ended.
private enum LeaseOutcome<Result: Sendable>: Sendable {
    case done(Result)
    case waitedTooLong
    case leasedInTime
}

/// PostgreSQL gave no connection in time: it is down, unreachable, or every connection is busy.
public struct DatabaseUnavailable: Error, Sendable, CustomStringConvertible {
    public var description: String { "The database is not answering" }
}
