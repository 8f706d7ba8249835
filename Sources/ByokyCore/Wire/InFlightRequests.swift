import Synchronization

/// The relayed requests being served on one relay connection, by request id, so a cancel frame
/// can stop one and a closing connection can stop them all. Used by the wallet serving pairings
/// and gifts (``RelaySenderSocket``) and by an app's backend relay.
package final class InFlightRequests: Sendable {
    private struct Entry {
        /// Tells this request from a later one filed under the same id.
        let serial: Int
        let task: Task<Void, Never>
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextSerial = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// Runs `work` as the task serving `id` (a cancel frame for `id` cancels it); the request
    /// leaves the book when `work` returns.
    package func start(_ id: String, _ work: @escaping @Sendable () async -> Void) {
        state.withLock { state in
            state.nextSerial += 1
            let serial = state.nextSerial
            // Filed under the lock its own removal takes: a request that ends at once (a refusal)
            // is removed after it is filed, never before (it then stayed for the connection's life).
            let task = Task {
                await work()
                self.finish(id, serial: serial)
            }
            state.entries[id] = Entry(serial: serial, task: task)
        }
    }

    /// Takes `id`'s request out of the book (to cancel it).
    @discardableResult
    package func remove(_ id: String) -> Task<Void, Never>? {
        state.withLock { $0.entries.removeValue(forKey: id)?.task }
    }

    /// How many requests are being served.
    package var count: Int { state.withLock { $0.entries.count } }

    /// Takes every request out of the book and cancels it (the connection closed).
    package func cancelAll() {
        let entries = state.withLock { state in
            defer { state.entries = [:] }
            return Array(state.entries.values)
        }
        for entry in entries { entry.task.cancel() }
    }

    /// Removes a request that ended, unless a later one holds its id.
    private func finish(_ id: String, serial: Int) {
        state.withLock { state in
            if state.entries[id]?.serial == serial { state.entries[id] = nil }
        }
    }
}
