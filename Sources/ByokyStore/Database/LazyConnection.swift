import Synchronization

/// The audit log's catch-up connection, opened on first use (a lightly used wallet never needs
/// it: an open connection costs about a megabyte).
final class LazyConnection: Sendable {
    private let open: @Sendable () throws -> LogInsertConnection
    private let opened = Mutex<LogInsertConnection?>(nil)

    init(open: @escaping @Sendable () throws -> LogInsertConnection) {
        self.open = open
    }

    /// The connection, opened now if this is the first use; a failed open is tried again next time.
    func connection() throws -> LogInsertConnection {
        try opened.withLock { opened in
            if let opened { return opened }
            let connection = try open()
            opened = connection
            return connection
        }
    }

    /// Closes the connection if it was opened.
    func close() {
        opened.withLock { $0?.close() }
    }
}
