import SQLiteNIO
import Synchronization

/// Writes audit-log entries after the response they describe has been sent, in batches (one
/// multi-row insert per batch), so no request waits on the database. Readers of the log wait for
/// entries still queued, so a query always sees every request that finished before it.
///
/// The writer keeps off the request path: its loop and its statements run on a low-priority
/// thread with a connection of their own (see ``WalletStore``), so a batch never queues before a
/// request's read and takes no turn on an event loop. Rows are bound directly
/// (no `Encodable` round trip): a batch costs one prepared statement and its inserts.
///
/// The cost: a process killed in the few milliseconds between a response and its batch (entries
/// gather for ``gatherInterval``) loses those entries. Credentials, sessions and settings are still written before they are acknowledged.
final class RequestLogWriter: Sendable {
    private struct Pending: Sendable {
        let entry: RequestLogRecord
        let onWritten: @Sendable () -> Void
    }

    private struct State {
        var pending: [Pending] = []
        var isWriting = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The most rows in one insert (SQLite binds at most 32,766 parameters per statement).
    static let maximumBatch = 500
    /// How long a batch gathers entries before it is written (unless a reader is waiting), so a
    /// steady stream of requests costs one insert per interval rather than one per request.
    static let gatherInterval: Duration = .milliseconds(5)

    private let state = Mutex(State())
    private let connection: SQLiteConnection
    private let executor: BackgroundExecutor

    init(connection: SQLiteConnection, executor: BackgroundExecutor) {
        self.connection = connection
        self.executor = executor
    }

    /// Queues `entry`; `onWritten` runs once it is in the database (or the write failed).
    func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void) {
        let startWriter = state.withLock { state in
            state.pending.append(Pending(entry: entry, onWritten: onWritten))
            guard !state.isWriting else { return false }
            state.isWriting = true
            return true
        }
        if startWriter {
            Task(executorPreference: executor) { await self.writeUntilEmpty() }
        }
    }

    /// Returns once every entry queued before the call is written.
    func waitUntilWritten() async {
        await withCheckedContinuation { continuation in
            let isIdle = state.withLock { state in
                if !state.isWriting, state.pending.isEmpty { return true }
                state.waiters.append(continuation)
                return false
            }
            if isIdle { continuation.resume() }
        }
    }

    private func writeUntilEmpty() async {
        while true {
            if state.withLock({ $0.waiters.isEmpty && $0.pending.count < Self.maximumBatch }) {
                try? await Task.sleep(for: Self.gatherInterval)
            }
            let batch: [Pending]? = state.withLock { state in
                guard !state.pending.isEmpty else {
                    state.isWriting = false
                    for waiter in state.waiters { waiter.resume() }
                    state.waiters = []
                    return nil
                }
                let count = min(state.pending.count, Self.maximumBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                return batch
            }
            guard let batch else { return }
            // The audit log is best effort: a full disk must not turn served answers into
            // failures; a batch that fails is retried row by row.
            do {
                try await insert(batch.map(\.entry))
            } catch {
                for item in batch { try? await insert([item.entry]) }
            }
            for item in batch { item.onWritten() }
        }
    }

    private static let columns = [
        "id", "session_id", "app_name", "provider", "actual_provider", "model", "method", "path", "status",
        "input_tokens", "output_tokens", "latency_ms", "error_code", "created_at",
    ]
    private static let rowPlaceholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"

    /// One multi-row insert; absent values are NULL.
    private func insert(_ entries: [RequestLogRecord]) async throws {
        let sql =
            "INSERT INTO request_log (\(Self.columns.joined(separator: ", "))) VALUES "
            + Array(repeating: Self.rowPlaceholders, count: entries.count).joined(separator: ",")
        var binds: [SQLiteData] = []
        binds.reserveCapacity(entries.count * Self.columns.count)
        func text(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
        func integer(_ value: Int?) -> SQLiteData { value.map { .integer(SQLiteInt64($0)) } ?? .null }
        for entry in entries {
            binds += [
                .text(entry.id), text(entry.sessionID), .text(entry.appName), .text(entry.provider),
                .text(entry.actualProvider), text(entry.model), .text(entry.method), .text(entry.path),
                integer(entry.status), integer(entry.inputTokens), integer(entry.outputTokens),
                integer(entry.latencyMilliseconds), text(entry.errorCode), .integer(SQLiteInt64(entry.createdAt)),
            ]
        }
        try await connection.query(sql, binds) { _ in }
    }
}
