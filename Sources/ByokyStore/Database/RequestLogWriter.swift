import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes audit-log entries after the response they describe has been sent, in batches (one
/// transaction per batch, through ``LogInsertConnection``'s insert, prepared once), so no request
/// waits on the database. Readers of the log wait for
/// entries still queued, so a query always sees every request that finished before it.
///
/// Two lanes write. The idle lane is the usual one: its loop and statements run on a thread of
/// their own with a connection of their own, between requests. (It runs at normal priority: at
/// a lower one, or in the idle scheduling class, a machine busy with other work starved it for
/// seconds to minutes, and opening or closing the wallet waited as long.) Under sustained full
/// load that thread gets little time; the catch-up lane then writes with a connection of its own
/// at normal priority, on the shared thread pool: once an entry has waited ``writeDeadline``,
/// once ``catchUpBacklog`` entries wait, and whenever a reader waits. So the queue stays bounded,
/// entries reach the file within a few tens of milliseconds, and readers never wait on a starved
/// thread.
///
/// The cost: a process killed in the few milliseconds between a response and its batch (entries
/// gather for ``gatherInterval``, and wait at most about ``writeDeadline`` under load) loses those
/// entries. Credentials, sessions and settings are
/// still written before they are acknowledged.
final class RequestLogWriter: Sendable {
    /// A way of writing batches: its connection and where its loop runs.
    struct Lane: Sendable {
        /// The connection its batches go through, called where the loop runs (writes block).
        let connection: @Sendable () -> LogInsertConnection
        /// Where the loop runs: a thread it may block, never an event loop.
        let executor: any TaskExecutor
    }

    private enum LaneName { case idle, catchUp }

    private struct Pending: Sendable {
        let entry: RequestLogRecord
        let completing: Completion?
        let onWritten: @Sendable () -> Void
        let queuedAt: ContinuousClock.Instant

        /// The entry as stored: completed here, on the writer's thread.
        var completed: RequestLogRecord {
            guard let completing else { return entry }
            var entry = entry
            completing(&entry)
            return entry
        }
    }

    /// Finishes an entry on the writer's thread just before it is stored: work that need not
    /// delay the request or its connection (reading the usage from a whole answer).
    typealias Completion = @Sendable (inout RequestLogRecord) -> Void

    private struct State {
        var pending: [Pending] = []
        var idleLaneRunning = false
        var catchUpLaneRunning = false
        /// Whether a deadline check is scheduled.
        var deadlineCheckScheduled = false
        /// Batches taken from `pending` and not yet written.
        var inFlight = 0
        /// Entries announced (``RequestLogWriter/announce()``) and not yet queued.
        var announced = 0
        var waiters: [CheckedContinuation<Void, Never>] = []

        /// Whether the oldest queued entry has waited `writeDeadline` or longer.
        func isOverdue(now: ContinuousClock.Instant) -> Bool {
            pending.first.map { now - $0.queuedAt >= RequestLogWriter.writeDeadline } ?? false
        }

        /// Marks the catch-up lane running when `needed` and it is not already; whether to start it.
        mutating func claimCatchUpLane(if needed: Bool) -> Bool {
            guard needed, !catchUpLaneRunning else { return false }
            catchUpLaneRunning = true
            return true
        }

        /// Whether nothing is announced, queued or being written.
        var isSettled: Bool { pending.isEmpty && inFlight == 0 && announced == 0 }

        /// Resumes the waiting readers once nothing is announced, queued or being written.
        mutating func releaseWaitersIfSettled() {
            guard isSettled else { return }
            for waiter in waiters { waiter.resume() }
            waiters = []
        }
    }

    /// The most rows in one batch (one transaction, which holds the file's write lock).
    static let maximumBatch = 500
    /// How long a batch gathers entries before it is written (unless a reader is waiting), so a
    /// steady stream of requests costs one transaction per interval rather than one per request.
    static let gatherInterval: Duration = .milliseconds(5)
    /// Queued entries that start the catch-up lane (about a megabyte of memory).
    static let catchUpBacklog = 2_000
    /// How long an entry may wait for the idle lane before the catch-up lane writes it.
    static let writeDeadline: Duration = .milliseconds(25)

    private let state = Mutex(State())
    private let idle: Lane
    private let catchUp: Lane

    init(idle: Lane, catchUp: Lane) {
        self.idle = idle
        self.catchUp = catchUp
    }

    /// Announces an entry that is about to be queued (by
    /// ``enqueue(_:announced:completing:onWritten:)`` with `announced`): readers wait for it as
    /// for a queued one. For an entry made just after the answer it records has been sent, so
    /// whoever got the answer finds the entry.
    func announce() {
        state.withLock { $0.announced += 1 }
    }

    /// Withdraws an announcement no entry will follow; readers waiting only for it go on.
    func withdrawAnnouncement() {
        state.withLock { state in
            guard state.announced > 0 else { return }
            state.announced -= 1
            state.releaseWaitersIfSettled()
        }
    }

    /// Queues `entry`, which `completing` (when given) finishes on the writer's thread before it
    /// is stored; `onWritten` runs once it is in the database (or the write failed).
    /// `announced`: the entry was announced with ``announce()``.
    func enqueue(
        _ entry: RequestLogRecord,
        announced: Bool = false,
        completing: Completion? = nil,
        onWritten: @escaping @Sendable () -> Void
    ) {
        let (startIdle, startCatchUp, scheduleCheck) = state.withLock { state in
            state.pending.append(Pending(entry: entry, completing: completing, onWritten: onWritten, queuedAt: .now))
            if announced, state.announced > 0 { state.announced -= 1 }
            let startIdle = !state.idleLaneRunning
            state.idleLaneRunning = true
            // A reader waiting (for this entry, perhaps) is not left to the idle lane's pace.
            let startCatchUp = state.claimCatchUpLane(
                if: state.pending.count >= Self.catchUpBacklog || !state.waiters.isEmpty
            )
            let scheduleCheck = !state.deadlineCheckScheduled
            state.deadlineCheckScheduled = true
            return (startIdle, startCatchUp, scheduleCheck)
        }
        if startIdle { start(.idle) }
        if startCatchUp { start(.catchUp) }
        if scheduleCheck { scheduleDeadlineCheck() }
    }

    /// Checks, `writeDeadline` from now and then again while entries wait, that the oldest entry
    /// is not overdue; starts the catch-up lane when it is. Runs on an event loop, at normal
    /// priority, so a starved idle lane cannot hold entries back.
    private func scheduleDeadlineCheck() {
        let delay = TimeAmount.milliseconds(Int64(Self.writeDeadline / .milliseconds(1)))
        MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: delay) {
            let (startCatchUp, scheduleAgain) = self.state.withLock { state in
                let startCatchUp = state.claimCatchUpLane(if: state.isOverdue(now: .now))
                state.deadlineCheckScheduled = !state.pending.isEmpty
                return (startCatchUp, state.deadlineCheckScheduled)
            }
            if startCatchUp { self.start(.catchUp) }
            if scheduleAgain { self.scheduleDeadlineCheck() }
        }
    }

    /// Returns once every entry queued before the call is written.
    func waitUntilWritten() async {
        await withCheckedContinuation { continuation in
            let (isSettled, startCatchUp) = state.withLock { state in
                if state.isSettled { return (true, false) }
                state.waiters.append(continuation)
                let startCatchUp = state.claimCatchUpLane(if: !state.pending.isEmpty)
                return (false, startCatchUp)
            }
            if isSettled { continuation.resume() }
            if startCatchUp { start(.catchUp) }
        }
    }

    private func start(_ name: LaneName) {
        let lane = name == .idle ? idle : catchUp
        Task(executorPreference: lane.executor) { await self.drain(name, lane: lane) }
    }

    private func drain(_ name: LaneName, lane: Lane) async {
        while true {
            if name == .idle, state.withLock({ $0.waiters.isEmpty && $0.pending.count < Self.maximumBatch }) {
                // A blocking sleep: this lane has a thread of its own with nothing else to do,
                // and a timer would wake a normal-priority thread 200 times a second instead.
                _ = usleep(UInt32(Self.gatherInterval / .microseconds(1)))
            }
            let batch: [Pending]? = state.withLock { state in
                // The catch-up lane stops once the queue is short and recent again and nobody waits.
                let done =
                    state.pending.isEmpty
                    || (name == .catchUp && state.waiters.isEmpty && state.pending.count < Self.maximumBatch
                        && !state.isOverdue(now: .now))
                if done {
                    if name == .idle { state.idleLaneRunning = false } else { state.catchUpLaneRunning = false }
                    state.releaseWaitersIfSettled()
                    return nil
                }
                state.inFlight += 1
                // Usually the whole queue fits one batch: swap it out, so the lock (which a
                // request's thread may want) is held for as short a time as possible.
                guard state.pending.count > Self.maximumBatch else {
                    defer { state.pending = [] }
                    return state.pending
                }
                let batch = Array(state.pending.prefix(Self.maximumBatch))
                state.pending.removeFirst(Self.maximumBatch)
                return batch
            }
            guard let batch else { return }
            // The audit log is best effort: a full disk must not turn served answers into
            // failures (the connection leaves out what it cannot write).
            lane.connection().write(batch.lazy.map(\.completed))
            for index in batch.indices { batch[index].onWritten() }
            state.withLock { state in
                state.inFlight -= 1
                state.releaseWaitersIfSettled()
            }
        }
    }
}
