import ByokyStore
import Synchronization

/// Recently read wallet records, so the request path does not ask the database each time.
///
/// Entries expire after ``lifetime`` (bounding staleness from changes made by another process that
/// did not announce them), and ``invalidate()`` drops everything at once; the wallet calls it on
/// every change it makes, and the daemon when the CLI reports a change.
final class ReadCache: Sendable {
    /// How long an entry is trusted.
    let lifetime: Duration

    private struct Entry<Value: Sendable>: Sendable {
        let value: Value
        let loadedAt: ContinuousClock.Instant
    }

    /// The value of `entry` when it was loaded less than ``lifetime`` before `now`.
    private func fresh<Value>(_ entry: Entry<Value>?, at now: ContinuousClock.Instant) -> Value? {
        guard let entry, isFresh(loadedAt: entry.loadedAt, at: now) else { return nil }
        return entry.value
    }

    /// Whether what was loaded at `loadedAt` is still trusted at `now`.
    private func isFresh(loadedAt: ContinuousClock.Instant, at now: ContinuousClock.Instant) -> Bool {
        now - loadedAt < lifetime
    }

    private struct State {
        var generation = 0
        var credentials: Entry<[CredentialRecord]>?
        var sessions: [String: Entry<SessionRecord>] = [:]
        var groups: [String: Entry<GroupRecord?>] = [:]
        var allowances: [String: Entry<[AllowanceRecord]>] = [:]
        var receivedGifts: Entry<[ReceivedGiftRecord]>?
        /// Each session's planning records as last put together, dated by the oldest of them:
        /// it expires no later than any record in it, and goes with them on ``invalidate()``.
        var planning: [String: Entry<PlanningRecords>] = [:]
    }

    private let state = Mutex(State())
    /// The time entries are dated and judged by (tests move it).
    private let now: @Sendable () -> ContinuousClock.Instant

    init(lifetime: Duration = .seconds(1), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.lifetime = lifetime
        self.now = now
    }

    /// Forgets everything.
    func invalidate() {
        state.withLock { state in
            state = State(generation: state.generation + 1)
        }
    }

    func credentials(load: () async throws -> [CredentialRecord]) async throws -> [CredentialRecord] {
        try await cached(read: { $0.credentials }, write: { $0.credentials = $1 }, load: load)
    }

    func receivedGifts(load: () async throws -> [ReceivedGiftRecord]) async throws -> [ReceivedGiftRecord] {
        try await cached(read: { $0.receivedGifts }, write: { $0.receivedGifts = $1 }, load: load)
    }

    /// A session by key hash; only sessions that exist are kept (a new session is found at once).
    func session(keyHash: String, load: () async throws -> SessionRecord?) async throws -> SessionRecord? {
        let now = self.now()
        if let hit = fresh(state.withLock { $0.sessions[keyHash] }, at: now) { return hit }
        let generation = state.withLock { $0.generation }
        guard let loaded = try await load() else { return nil }
        state.withLock { state in
            if state.generation == generation { state.sessions[keyHash] = Entry(value: loaded, loadedAt: now) }
        }
        return loaded
    }

    func group(forApp app: String, load: () async throws -> GroupRecord?) async throws -> GroupRecord? {
        try await cached(read: { $0.groups[app] }, write: { $0.groups[app] = $1 }, load: load)
    }

    func allowances(forApp app: String, load: () async throws -> [AllowanceRecord]) async throws -> [AllowanceRecord] {
        try await cached(read: { $0.allowances[app] }, write: { $0.allowances[app] = $1 }, load: load)
    }

    /// The session stored under `keyHash` and every record its requests are planned with, in one
    /// look, when all of them are cached and fresh; `nil` when any must be read.
    ///
    /// Put together once and kept as one entry (a request then costs one look-up and one copy,
    /// not five of each), dated by its oldest record.
    func planningRecords(keyHash: String) -> PlanningRecords? {
        let now = self.now()
        return state.withLock { state in
            if let together = fresh(state.planning[keyHash], at: now) { return together }
            guard let session = state.sessions[keyHash], let group = state.groups[session.value.appName],
                let credentials = state.credentials, let receivedGifts = state.receivedGifts,
                let allowances = state.allowances[session.value.appName]
            else { return nil }
            let oldest = min(
                session.loadedAt,
                group.loadedAt,
                credentials.loadedAt,
                receivedGifts.loadedAt,
                allowances.loadedAt
            )
            guard isFresh(loadedAt: oldest, at: now) else { return nil }
            let records = PlanningRecords(
                session: session.value,
                group: group.value,
                credentials: credentials.value,
                receivedGifts: receivedGifts.value,
                allowances: allowances.value
            )
            state.planning[keyHash] = Entry(value: records, loadedAt: oldest)
            return records
        }
    }

    /// The entry `read` finds when it is fresh, else what `load` returns, kept with `write`
    /// unless the cache was invalidated meanwhile. (Closures, not key paths: projecting a key
    /// path costs more than the rest of a look-up.)
    private func cached<Value: Sendable>(
        read: (inout State) -> Entry<Value>?,
        write: (inout State, Entry<Value>) -> Void,
        load: () async throws -> Value
    ) async throws -> Value {
        let now = self.now()
        if let hit = fresh(state.withLock { read(&$0) }, at: now) { return hit }
        let generation = state.withLock { $0.generation }
        let loaded = try await load()
        state.withLock { state in
            // A change since the load started makes the loaded value suspect: do not keep it.
            if state.generation == generation { write(&state, Entry(value: loaded, loadedAt: now)) }
        }
        return loaded
    }
}
