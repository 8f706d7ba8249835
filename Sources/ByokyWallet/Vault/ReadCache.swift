import ByokyStore
import Synchronization

/// Recently read wallet records, so the request path does not ask the database each time.
///
/// Entries expire after ``lifetime`` (bounding staleness from changes made by another process that
/// did not announce them), and ``invalidate()`` drops everything at once; the wallet calls it on
/// every change it makes, and the daemon when the CLI reports a change.
///
/// A record is read once however many requests find it missing or expired at the same time: the
/// first starts the read, the others wait for it (a busy wallet's connections all find an entry
/// expired in the same instant, and would otherwise each read it).
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
        /// The reads under way, each a `Task<Value, any Error>` for its record's value.
        var loading: [LoadKey: any Sendable] = [:]
    }

    /// What a look-up found: a fresh value, or the read to wait for.
    private enum Lookup<Value: Sendable> {
        case hit(Value)
        case reading(Task<Value, any Error>)
    }

    /// What a read under way is reading.
    private enum LoadKey: Hashable {
        case credentials
        case receivedGifts
        case session(keyHash: String)
        case group(app: String)
        case allowances(app: String)
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

    func credentials(load: @escaping @Sendable () async throws -> [CredentialRecord]) async throws -> [CredentialRecord]
    {
        try await cached(.credentials, read: { $0.credentials }, write: { $0.credentials = $1 }, load: load)
    }

    func receivedGifts(
        load: @escaping @Sendable () async throws -> [ReceivedGiftRecord]
    ) async throws -> [ReceivedGiftRecord] {
        try await cached(.receivedGifts, read: { $0.receivedGifts }, write: { $0.receivedGifts = $1 }, load: load)
    }

    /// A session by key hash; only sessions that exist are kept (a new session is found at once).
    func session(
        keyHash: String,
        load: @escaping @Sendable () async throws -> SessionRecord?
    ) async throws -> SessionRecord? {
        try await cached(
            .session(keyHash: keyHash),
            read: { state in
                state.sessions[keyHash].map { Entry(value: Optional($0.value), loadedAt: $0.loadedAt) }
            },
            write: { state, entry in
                if let session = entry.value {
                    state.sessions[keyHash] = Entry(value: session, loadedAt: entry.loadedAt)
                }
            },
            load: load
        )
    }

    func group(
        forApp app: String,
        load: @escaping @Sendable () async throws -> GroupRecord?
    ) async throws -> GroupRecord? {
        try await cached(.group(app: app), read: { $0.groups[app] }, write: { $0.groups[app] = $1 }, load: load)
    }

    func allowances(
        forApp app: String,
        load: @escaping @Sendable () async throws -> [AllowanceRecord]
    ) async throws -> [AllowanceRecord] {
        try await cached(
            .allowances(app: app),
            read: { $0.allowances[app] },
            write: { $0.allowances[app] = $1 },
            load: load
        )
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

    /// The entry `read` finds when it is fresh, else the value of the read of `key` under way, else
    /// what `load` returns, kept with `write` unless the cache was invalidated meanwhile. (Closures,
    /// not key paths: projecting a key path costs more than the rest of a look-up.)
    ///
    /// The read runs in a task of its own, so a caller that is cancelled does not fail the others
    /// waiting for it; a read that fails fails every caller waiting for it, and the next call reads
    /// again. Callers that come after an ``invalidate()`` do not wait for a read started before it.
    private func cached<Value: Sendable>(
        _ key: LoadKey,
        read: (inout State) -> Entry<Value>?,
        write: @escaping @Sendable (inout State, Entry<Value>) -> Void,
        load: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let now = self.now()
        let found = state.withLock { state -> Lookup<Value> in
            if let hit = fresh(read(&state), at: now) { return .hit(hit) }
            if let running = state.loading[key] as? Task<Value, any Error> { return .reading(running) }
            let generation = state.generation
            let reading = Task {
                try await self.refill(key, generation: generation, startedAt: now, write: write, load: load)
            }
            state.loading[key] = reading
            return .reading(reading)
        }
        switch found {
        case .hit(let hit): return hit
        case .reading(let reading): return try await reading.value
        }
    }

    /// Reads the value of `key` with `load` and keeps it with `write`, dated `startedAt`, unless
    /// the cache was invalidated since the read began; then the read is no longer under way.
    private func refill<Value: Sendable>(
        _ key: LoadKey,
        generation: Int,
        startedAt: ContinuousClock.Instant,
        write: @Sendable (inout State, Entry<Value>) -> Void,
        load: @Sendable () async throws -> Value
    ) async throws -> Value {
        let loaded: Value
        do {
            loaded = try await load()
        } catch {
            state.withLock { state in
                if state.generation == generation { state.loading[key] = nil }
            }
            throw error
        }
        state.withLock { state in
            // A change since the load started makes the loaded value suspect: do not keep it.
            guard state.generation == generation else { return }
            write(&state, Entry(value: loaded, loadedAt: startedAt))
            state.loading[key] = nil
        }
        return loaded
    }
}
