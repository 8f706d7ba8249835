import ByokyCore
import Logging
import NIOPosix
import SQLiteKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wallet's SQLite database: credentials (sealed), sessions (hashed), the audit log and
/// wallet settings.
///
/// The file and its WAL side files are created readable by the owner only (0600) in an
/// owner-only folder (0700). Every write is one SQL statement or transaction, so a crash never
/// leaves half a record. WAL with `synchronous=NORMAL` keeps every acknowledged write through a
/// killed process (only a power cut can drop the last commits), without an fsync per request.
public final class WalletStore: Sendable {
    /// Where the database lives.
    public let path: String
    let database: any SQLDatabase
    let logWriter: RequestLogWriter
    private let connection: SQLiteConnection
    /// The audit-log writer's own connections: its idle lane's, on a thread of its own, and its
    /// catch-up lane's, so a backlog being written never queues ahead of the wallet's reads
    /// (see ``RequestLogWriter``).
    private let logConnection: LogInsertConnection
    private let catchUpConnection: LazyConnection
    private let logThread: NIOThreadPool

    private init(
        path: String,
        connection: SQLiteConnection,
        logConnection: LogInsertConnection,
        catchUpConnection: LazyConnection,
        logThread: NIOThreadPool,
        logExecutor: (any TaskExecutor)?
    ) {
        self.path = path
        self.connection = connection
        self.database = connection.sql()
        self.logConnection = logConnection
        self.catchUpConnection = catchUpConnection
        self.logThread = logThread
        self.logWriter = RequestLogWriter(
            idle: .init(connection: { logConnection }, executor: logExecutor ?? BackgroundExecutor(pool: logThread)),
            catchUp: .init(
                // Should the catch-up connection not open, the idle lane's writes (in turn).
                connection: { (try? catchUpConnection.connection()) ?? logConnection },
                executor: BackgroundExecutor(pool: .singleton)
            )
        )
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// - Throws: ``ByokyError`` `INTERNAL_ERROR` naming the path when it cannot be opened.
    public static func open(at path: String) async throws -> WalletStore {
        try await open(at: path, logExecutor: nil)
    }

    /// Opens the store with the audit log's idle lane running its loop on `logExecutor` (tests
    /// stand in a starved thread); `nil` gives it a thread of its own.
    static func open(at path: String, logExecutor: (any TaskExecutor)?) async throws -> WalletStore {
        let folder = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !folder.isEmpty { try FilePermissions.makeOwnerOnlyFolder(folder) }
        let previousMask = umask(0o077)
        defer { umask(previousMask) }
        var logger = Logger(label: "byoky.store")
        logger.logLevel = .warning
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw ByokyError(.internalError, "Cannot open the wallet database at \(path)", underlying: error)
        }
        do {
            let database = connection.sql()
            try await database.raw("PRAGMA journal_mode=WAL").run()
            try await Self.configure(database)
            try await database.raw("PRAGMA foreign_keys=ON").run()
            try await Migrations.apply(to: database)
        } catch {
            try? await connection.close()
            throw ByokyError(.internalError, "Cannot prepare the wallet database at \(path)", underlying: error)
        }
        let logConnection: LogInsertConnection
        do {
            logConnection = try LogInsertConnection(path: path)
        } catch {
            try? await connection.close()
            throw ByokyError(.internalError, "Cannot open the wallet database at \(path)", underlying: error)
        }
        let logThread = NIOThreadPool(numberOfThreads: 1)
        logThread.start()
        let catchUpConnection = LazyConnection { try LogInsertConnection(path: path) }
        let store = WalletStore(
            path: path,
            connection: connection,
            logConnection: logConnection,
            catchUpConnection: catchUpConnection,
            logThread: logThread,
            logExecutor: logExecutor
        )
        for file in [path, path + "-wal", path + "-shm"] { FilePermissions.restrictToOwner(file) }
        return store
    }

    /// Per-connection settings: WAL with `synchronous=NORMAL`, and a wait (not a failure) while
    /// the other connection writes.
    private static func configure(_ database: any SQLDatabase) async throws {
        try await database.raw("PRAGMA synchronous=NORMAL").run()
        try await database.raw("PRAGMA busy_timeout=5000").run()
    }

    /// Closes the database, after writing every queued audit-log entry.
    public func close() async throws {
        await logWriter.waitUntilWritten()
        logConnection.close()
        catchUpConnection.close()
        try? await logThread.shutdownGracefully()
        try await connection.close()
    }

    /// The schema version this build writes.
    public static var latestSchemaVersion: Int { Migrations.steps.last?.version ?? 0 }

    /// The schema version the database is at.
    public func schemaVersion() async throws -> Int {
        try await Migrations.currentVersion(of: database)
    }
}
