import ByokyCore
import Logging
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

    private init(path: String, connection: SQLiteConnection) {
        self.path = path
        self.connection = connection
        self.database = connection.sql()
        self.logWriter = RequestLogWriter(database: database)
    }

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// - Throws: ``ByokyError`` `INTERNAL_ERROR` naming the path when it cannot be opened.
    public static func open(at path: String) async throws -> WalletStore {
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
        let store = WalletStore(path: path, connection: connection)
        do {
            try await store.database.raw("PRAGMA journal_mode=WAL").run()
            try await store.database.raw("PRAGMA synchronous=NORMAL").run()
            try await store.database.raw("PRAGMA foreign_keys=ON").run()
            try await store.database.raw("PRAGMA busy_timeout=5000").run()
            try await Migrations.apply(to: store.database)
        } catch {
            try? await connection.close()
            throw ByokyError(.internalError, "Cannot prepare the wallet database at \(path)", underlying: error)
        }
        for file in [path, path + "-wal", path + "-shm"] { FilePermissions.restrictToOwner(file) }
        return store
    }

    /// Closes the database, after writing every queued audit-log entry.
    public func close() async throws {
        await logWriter.waitUntilWritten()
        try await connection.close()
    }

    /// The schema version this build writes.
    public static var latestSchemaVersion: Int { Migrations.steps.last?.version ?? 0 }

    /// The schema version the database is at.
    public func schemaVersion() async throws -> Int {
        try await Migrations.currentVersion(of: database)
    }
}
