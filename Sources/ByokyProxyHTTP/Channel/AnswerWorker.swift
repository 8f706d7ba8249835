import ByokyWallet
import Synchronization

/// One connection's task for making and writing its route's answers, one after another: started
/// with the first, it waits for the next between them and ends when the connection does
/// (``finish()``). The task carries the connection's ``SessionKeyMemo``.
///
/// A task of its own for every request cost its creation and, as an answer's asynchronous frames
/// outgrow the task's first block of memory, about a dozen kilobyte-sized `malloc`s and `free`s
/// of frame memory a request; a connection's task keeps that memory from one answer to the next.
/// The cost: an idle keep-alive connection holds it (a suspended task and a few kilobytes of
/// frames) until it closes.
final class AnswerWorker: Sendable {
    typealias Job = @Sendable () async -> Void

    private struct State {
        /// Jobs given and not yet taken, oldest first.
        var jobs: [Job] = []
        /// The task, while it waits for its next job.
        var waiting: UnsafeContinuation<Job?, Never>?
        /// Whether the connection ended: the task ends once the jobs given are done.
        var isFinished = false
    }

    private let state = Mutex(State())
    private let isStarted = Atomic(false)
    private let isEnded = Atomic(false)

    /// Whether the task has been started and has not ended.
    var isRunning: Bool { isStarted.load(ordering: .acquiring) && !isEnded.load(ordering: .acquiring) }

    /// Runs `job` after the jobs given before it, starting the task with the first. A job given
    /// after the connection ended still runs (it finds the channel closed).
    func run(_ job: @escaping Job) {
        let waiting: UnsafeContinuation<Job?, Never>? = state.withLock { state in
            defer { state.waiting = nil }
            if state.waiting == nil { state.jobs.append(job) }
            return state.waiting
        }
        if let waiting {
            waiting.resume(returning: job)
        } else if !isStarted.exchange(true, ordering: .acquiringAndReleasing) {
            Task {
                await SessionKeyMemo.$current.withValue(SessionKeyMemo()) {
                    while let next = await self.next() { await next() }
                }
                self.isEnded.store(true, ordering: .releasing)
            }
        }
    }

    /// Lets the task end once the jobs given are done; called when the connection has ended.
    func finish() {
        let waiting: UnsafeContinuation<Job?, Never>? = state.withLock { state in
            defer { state.waiting = nil }
            state.isFinished = true
            return state.waiting
        }
        waiting?.resume(returning: nil)
    }

    /// The next job, once there is one; `nil` when the connection has ended and none is left.
    private func next() async -> Job? {
        // Unchecked: the lock hands the continuation to exactly one resume (a checked one
        // costs an allocation a request).
        await withUnsafeContinuation { continuation in
            let job: Job?? = state.withLock { state in
                if !state.jobs.isEmpty { return .some(state.jobs.removeFirst()) }
                if state.isFinished { return .some(nil) }
                state.waiting = continuation
                return nil
            }
            if let job { continuation.resume(returning: job) }
        }
    }
}
