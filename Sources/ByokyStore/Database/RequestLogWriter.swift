import SQLiteNIO
import Synchronization

/// Writes audit-log entries after the response they describe has been sent, in batches (one
/// multi-row insert per batch), so no request waits on the database. Readers of the log wait for
/// entries still queued, so a query always sees every request that finished before it.
///
/// Two lanes write. The idle lane is the usual one: its loop and statements run on a thread of
/// their own with a connection of their own, at the lowest scheduling class the system offers
/// (see ``BackgroundPriority``), so a batch never takes a core from a request that wants one.
/// Under sustained full load that thread gets almost no time; the catch-up lane then writes with
/// the store's main connection at normal priority: once ``catchUpBacklog`` entries wait, and
/// whenever a reader waits. The queue stays bounded and readers never wait on a starved thread.
/// Rows are bound directly (no `Encodable` round trip): a batch costs one prepared statement.
///
/// The cost: a process killed in the few milliseconds between a response and its batch (entries
/// gather for ``gatherInterval``) loses those entries. Credentials, sessions and settings are
/// still written before they are acknowledged.
final class RequestLogWriter: Sendable {
    /// A way of writing batches: its connection and where its loop runs.
    struct Lane: Sendable {
        let connection: SQLiteConnection
        /// `nil`: the loop runs on the default executor.
        let executor: (any TaskExecutor)?
    }

    private enum LaneName { case idle, catchUp }

    private struct Pending: Sendable {
        let entry: RequestLogRecord
        let onWritten: @Sendable () -> Void
    }

    private struct State {
        var pending: [Pending] = []
        var idleLaneRunning = false
        var catchUpLaneRunning = false
        /// Batches taken from `pending` and not yet written.
        var inFlight = 0
        var waiters: [CheckedContinuation<Void, Never>] = []

        /// Resumes the waiting readers once nothing is queued or being written.
        mutating func releaseWaitersIfSettled() {
            guard pending.isEmpty, inFlight == 0 else { return }
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    /// The most rows in one insert (SQLite binds at most 32,766 parameters per statement).
    static let maximumBatch = 500
    /// How long a batch gathers entries before it is written (unless a reader is waiting), so a
    /// steady stream of requests costs one insert per interval rather than one per request.
    static let gatherInterval: Duration = .milliseconds(5)
    /// Queued entries that start the catch-up lane (about a megabyte of memory).
    static let catchUpBacklog = 2_000

    private let state = Mutex(State())
    private let idle: Lane
    private let catchUp: Lane

    init(idle: Lane, catchUp: Lane) {
        self.idle = idle
        self.catchUp = catchUp
    }

    /// Queues `entry`; `onWritten` runs once it is in the database (or the write failed).
    func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void) {
        let (startIdle, startCatchUp) = state.withLock { state in
            state.pending.append(Pending(entry: entry, onWritten: onWritten))
            let startIdle = !state.idleLaneRunning
            state.idleLaneRunning = true
            let startCatchUp = !state.catchUpLaneRunning && state.pending.count >= Self.catchUpBacklog
            if startCatchUp { state.catchUpLaneRunning = true }
            return (startIdle, startCatchUp)
        }
        if startIdle { start(.idle) }
        if startCatchUp { start(.catchUp) }
    }

    /// Returns once every entry queued before the call is written.
    func waitUntilWritten() async {
        await withCheckedContinuation { continuation in
            let (isSettled, startCatchUp) = state.withLock { state in
                if state.pending.isEmpty, state.inFlight == 0 { return (true, false) }
                state.waiters.append(continuation)
                let startCatchUp = !state.catchUpLaneRunning && !state.pending.isEmpty
                if startCatchUp { state.catchUpLaneRunning = true }
                return (false, startCatchUp)
            }
            if isSettled { continuation.resume() }
            if startCatchUp { start(.catchUp) }
        }
    }

    private func start(_ name: LaneName) {
        let lane = name == .idle ? idle : catchUp
        if let executor = lane.executor {
            Task(executorPreference: executor) { await self.drain(name, lane: lane) }
        } else {
            Task { await self.drain(name, lane: lane) }
        }
    }

    private func drain(_ name: LaneName, lane: Lane) async {
        while true {
            if name == .idle, state.withLock({ $0.waiters.isEmpty && $0.pending.count < Self.maximumBatch }) {
                try? await Task.sleep(for: Self.gatherInterval)
            }
            let batch: [Pending]? = state.withLock { state in
                // The catch-up lane stops once the queue is short again and nobody waits.
                let done =
                    state.pending.isEmpty
                    || (name == .catchUp && state.waiters.isEmpty && state.pending.count < Self.maximumBatch)
                if done {
                    if name == .idle { state.idleLaneRunning = false } else { state.catchUpLaneRunning = false }
                    state.releaseWaitersIfSettled()
                    return nil
                }
                let count = min(state.pending.count, Self.maximumBatch)
                let batch = Array(state.pending.prefix(count))
                state.pending.removeFirst(count)
                state.inFlight += 1
                return batch
            }
            guard let batch else { return }
            // The audit log is best effort: a full disk must not turn served answers into
            // failures; a batch that fails is retried row by row.
            do {
                try await insert(batch.map(\.entry), on: lane.connection)
            } catch {
                for item in batch { try? await insert([item.entry], on: lane.connection) }
            }
            for item in batch { item.onWritten() }
            state.withLock { state in
                state.inFlight -= 1
                state.releaseWaitersIfSettled()
            }
        }
    }

    private static let columns = [
        "id", "session_id", "app_name", "provider", "actual_provider", "model", "method", "path", "status",
        "input_tokens", "output_tokens", "latency_ms", "error_code", "created_at",
    ]
    private static let rowPlaceholders = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"

    /// One multi-row insert; absent values are NULL.
    private func insert(_ entries: [RequestLogRecord], on connection: SQLiteConnection) async throws {
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
