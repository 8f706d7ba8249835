import SQLKit
import Synchronization

/// Writes audit-log entries after the response they describe has been sent, in batches (one
/// multi-row insert per batch), so no request waits on the database. Readers of the log wait for
/// entries still queued, so a query always sees every request that finished before it.
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
    private let database: any SQLDatabase

    init(database: any SQLDatabase) { self.database = database }

    /// Queues `entry`; `onWritten` runs once it is in the database (or the write failed).
    func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void) {
        let startWriter = state.withLock { state in
            state.pending.append(Pending(entry: entry, onWritten: onWritten))
            guard !state.isWriting else { return false }
            state.isWriting = true
            return true
        }
        if startWriter {
            Task { await self.writeUntilEmpty() }
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
            // Absent values are written as NULL, so rows with and without e.g. token counts share
            // one statement. The audit log is best effort: a full disk must not turn served
            // answers into failures; a batch that fails is retried row by row.
            do {
                try await database.insert(into: "request_log")
                    .models(batch.map(\.entry), nilEncodingStrategy: .asNil).run()
            } catch {
                for item in batch {
                    try? await database.insert(into: "request_log").model(item.entry, nilEncodingStrategy: .asNil).run()
                }
            }
            for item in batch { item.onWritten() }
        }
    }
}
