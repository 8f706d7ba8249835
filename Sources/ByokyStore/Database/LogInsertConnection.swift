import Synchronization
// SQLite's C interface, as SQLiteNIO builds it (one copy of SQLite in the binary): SQLiteNIO
// prepares every query anew and keeps no statement, and the audit log's insert is the one
// statement the wallet runs thousands of times a second.
import VaporCSQLite

/// A SQLite connection of the audit log's writer: its own handle on the wallet's file, with the
/// single-row insert prepared once and run for every row of a batch, inside one transaction.
///
/// A multi-row insert prepared for each batch cost about a third of the writer's time in parsing
/// alone. Calls block the calling thread (the writer's own, or a thread pool's) until the batch is
/// in the file; a lock keeps two callers from using the handle at once.
final class LogInsertConnection: Sendable {
    /// The columns written, in the order of the insert's parameters.
    static let columns = [
        "id", "session_id", "app_name", "provider", "actual_provider", "model", "method", "path", "status",
        "input_tokens", "output_tokens", "latency_ms", "error_code", "created_at",
    ]
    static let insertStatement =
        "INSERT INTO request_log (\(columns.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"

    /// The handle and its statements; `nil` once closed.
    private struct Handles {
        let database: OpaquePointer
        let insert: OpaquePointer
        let begin: OpaquePointer
        let commit: OpaquePointer
    }

    private let handles: Mutex<Handles?>

    /// Opens `path` (which must already hold the wallet's schema) in WAL's `synchronous=NORMAL`,
    /// waiting up to five seconds for another connection's write.
    ///
    /// - Throws: ``LogInsertConnection/Failure`` when the file cannot be opened or the insert
    ///   not prepared.
    init(path: String) throws {
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX
        guard sqlite_nio_sqlite3_open_v2(path, &opened, flags, nil) == SQLITE_OK, let database = opened else {
            let failure = Failure(opened, "open")
            sqlite_nio_sqlite3_close_v2(opened)
            throw failure
        }
        var prepared: [OpaquePointer] = []
        do {
            try Self.execute("PRAGMA synchronous=NORMAL", on: database)
            try Self.execute("PRAGMA busy_timeout=5000", on: database)
            for sql in [Self.insertStatement, "BEGIN IMMEDIATE", "COMMIT"] {
                prepared.append(try Self.prepare(sql, on: database))
            }
        } catch {
            for statement in prepared { sqlite_nio_sqlite3_finalize(statement) }
            sqlite_nio_sqlite3_close_v2(database)
            throw error
        }
        handles = Mutex(Handles(database: database, insert: prepared[0], begin: prepared[1], commit: prepared[2]))
    }

    deinit {
        close()
    }

    /// Writes `entries`, best effort: all in one transaction; a row SQLite refuses (a duplicate
    /// id) is left out and the rest written; should the transaction itself fail (a full disk, a
    /// lock held past the wait), each row is tried again on its own.
    func write(_ entries: some Collection<RequestLogRecord>) {
        handles.withLock { handles in
            guard let handles else { return }
            let database = handles.database
            if Self.run(handles.begin) {
                for entry in entries {
                    // A refused row ends its statement, not the transaction, unless SQLite rolled
                    // the transaction back (then the connection is in autocommit mode again).
                    guard Self.insert(entry, with: handles.insert) || sqlite_nio_sqlite3_get_autocommit(database) == 0
                    else { break }
                }
                let isOpen = sqlite_nio_sqlite3_get_autocommit(database) == 0
                if isOpen, Self.run(handles.commit) { return }
                if sqlite_nio_sqlite3_get_autocommit(database) == 0 { try? Self.execute("ROLLBACK", on: database) }
            }
            for entry in entries { _ = Self.insert(entry, with: handles.insert) }
        }
    }

    /// Closes the connection; later writes do nothing.
    func close() {
        handles.withLock { handles in
            guard let closing = handles else { return }
            handles = nil
            for statement in [closing.insert, closing.begin, closing.commit] { sqlite_nio_sqlite3_finalize(statement) }
            sqlite_nio_sqlite3_close_v2(closing.database)
        }
    }

    /// Binds `entry` to the insert and runs it; whether the row was written.
    private static func insert(_ entry: RequestLogRecord, with statement: OpaquePointer) -> Bool {
        bind(entry.id, at: 1, in: statement)
        bind(entry.sessionID, at: 2, in: statement)
        bind(entry.appName, at: 3, in: statement)
        bind(entry.provider, at: 4, in: statement)
        bind(entry.actualProvider, at: 5, in: statement)
        bind(entry.model, at: 6, in: statement)
        bind(entry.method, at: 7, in: statement)
        bind(entry.path, at: 8, in: statement)
        bind(Int64(entry.status), at: 9, in: statement)
        bind(entry.inputTokens.map(Int64.init), at: 10, in: statement)
        bind(entry.outputTokens.map(Int64.init), at: 11, in: statement)
        bind(Int64(entry.latencyMilliseconds), at: 12, in: statement)
        bind(entry.errorCode, at: 13, in: statement)
        bind(entry.createdAt, at: 14, in: statement)
        return run(statement)
    }

    /// Runs a statement that returns no rows, then resets it for its next use.
    private static func run(_ statement: OpaquePointer) -> Bool {
        let result = sqlite_nio_sqlite3_step(statement)
        sqlite_nio_sqlite3_reset(statement)
        return result == SQLITE_DONE
    }

    private static func bind(_ text: String?, at index: Int32, in statement: OpaquePointer) {
        guard var text else {
            sqlite_nio_sqlite3_bind_null(statement, index)
            return
        }
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                // SQLite copies the bytes (SQLITE_TRANSIENT): the pointer is only good in here.
                if let start = characters.baseAddress {
                    _ = sqlite_nio_sqlite3_bind_text(statement, index, start, Int32(characters.count), transient)
                } else {
                    _ = sqlite_nio_sqlite3_bind_text(statement, index, "", 0, transient)
                }
            }
        }
    }

    private static func bind(_ number: Int64?, at index: Int32, in statement: OpaquePointer) {
        if let number {
            sqlite_nio_sqlite3_bind_int64(statement, index, number)
        } else {
            sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    /// `SQLITE_TRANSIENT`, which C spells as a cast Swift cannot import.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    private static func prepare(_ sql: String, on database: OpaquePointer) throws -> OpaquePointer {
        var statement: OpaquePointer?
        let flags = UInt32(SQLITE_PREPARE_PERSISTENT)
        guard sqlite_nio_sqlite3_prepare_v3(database, sql, -1, flags, &statement, nil) == SQLITE_OK, let statement
        else { throw Failure(database, "prepare its statements") }
        return statement
    }

    private static func execute(_ sql: String, on database: OpaquePointer) throws {
        guard sqlite_nio_sqlite3_exec(database, sql, nil, nil, nil) == SQLITE_OK else {
            throw Failure(database, "be set up")
        }
    }

    /// A connection that could not be opened or a statement that could not be prepared, with
    /// SQLite's message (which names no value: the statements hold only placeholders).
    struct Failure: Error, CustomStringConvertible {
        let description: String

        init(_ handle: OpaquePointer?, _ step: String) {
            let message: String
            if let handle, let text = sqlite_nio_sqlite3_errmsg(handle) {
                message = String(cString: text)
            } else {
                message = "out of memory"
            }
            description = "The audit log's connection could not \(step): \(message)"
        }
    }
}
