import SQLiteNIO
import Synchronization

/// A database connection opened on first use (the audit log's catch-up connection, which a
/// lightly used wallet never needs: an open connection costs about a megabyte).
final class LazyConnection: Sendable {
    private let open: @Sendable () async throws -> SQLiteConnection
    private let opening = Mutex<Task<SQLiteConnection, any Error>?>(nil)

    init(open: @escaping @Sendable () async throws -> SQLiteConnection) {
        self.open = open
    }

    /// The connection, opened now if this is the first use; a failed open is tried again next time.
    func connection() async throws -> SQLiteConnection {
        let task = opening.withLock { opening in
            if let task = opening { return task }
            let task = Task { try await open() }
            opening = task
            return task
        }
        do {
            return try await task.value
        } catch {
            opening.withLock { if $0 == task { $0 = nil } }
            throw error
        }
    }

    /// Closes the connection if it was opened.
    func close() async {
        guard let task = opening.withLock({ $0 }), let connection = try? await task.value else { return }
        try? await connection.close()
    }
}
