import Synchronization

/// One connection's task for making and writing its route's answers, one after another: started
/// with the first, it waits for the next between them and ends when the connection does
/// (``finish()``).
///
/// A task of its own for every request cost its creation and, as an answer's asynchronous frames
/// outgrow the task's first block of memory, about a dozen kilobyte-sized `malloc`s and `free`s
/// of frame memory a request; a connection's task keeps that memory from one answer to the next.
final class AnswerWorker: Sendable {
    typealias Job = @Sendable () async -> Void

    private enum State {
        /// Jobs given and not yet taken, oldest first.
        case queued([Job])
        /// The task waits for its next job.
        case waiting(CheckedContinuation<Job?, Never>)
        /// The connection ended: the task ends once the jobs given are done.
        case finished([Job])
    }

    private let state = Mutex(State.queued([]))
    private let isStarted = Atomic(false)
    private let isEnded = Atomic(false)

    /// Whether the task has been started and has not ended.
    var isRunning: Bool { isStarted.load(ordering: .acquiring) && !isEnded.load(ordering: .acquiring) }

    /// Runs `job` after the jobs given before it, starting the task with the first.
    func run(_ job: @escaping Job) {
        let waiting: CheckedContinuation<Job?, Never>? = state.withLock { state in
            switch state {
            case .waiting(let continuation):
                state = .queued([])
                return continuation
            case .queued(var jobs):
                state = .queued([])
                jobs.append(job)
                state = .queued(jobs)
            case .finished(var jobs):
                // The connection ended first: the job still runs (it finds the channel closed).
                state = .finished([])
                jobs.append(job)
                state = .finished(jobs)
            }
            return nil
        }
        if let waiting {
            waiting.resume(returning: job)
        } else if !isStarted.exchange(true, ordering: .acquiringAndReleasing) {
            Task {
                while let next = await self.next() { await next() }
                self.isEnded.store(true, ordering: .releasing)
            }
        }
    }

    /// Lets the task end once the jobs given are done; called when the connection has ended.
    func finish() {
        let waiting: CheckedContinuation<Job?, Never>? = state.withLock { state in
            switch state {
            case .waiting(let continuation):
                state = .finished([])
                return continuation
            case .queued(let jobs):
                state = .finished(jobs)
            case .finished:
                break
            }
            return nil
        }
        waiting?.resume(returning: nil)
    }

    /// The next job, once there is one; `nil` when the connection has ended and none is left.
    private func next() async -> Job? {
        await withCheckedContinuation { continuation in
            let job: Job?? = state.withLock { state in
                switch state {
                case .queued(var jobs):
                    guard !jobs.isEmpty else {
                        state = .waiting(continuation)
                        return nil
                    }
                    state = .queued([])
                    let first = jobs.removeFirst()
                    state = .queued(jobs)
                    return .some(first)
                case .finished(var jobs):
                    guard !jobs.isEmpty else { return .some(nil) }
                    state = .finished([])
                    let first = jobs.removeFirst()
                    state = .finished(jobs)
                    return .some(first)
                case .waiting:
                    preconditionFailure("the answer worker's task waits twice")
                }
            }
            if let job { continuation.resume(returning: job) }
        }
    }
}
