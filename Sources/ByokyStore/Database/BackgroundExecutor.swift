package import NIOPosix

/// Runs a task's jobs on a thread pool of its own (the audit-log writer's low-priority thread),
/// so background work never takes turns on the event loops that serve requests: with NIO as
/// Swift Concurrency's executor, a plain task would run there and its batches would hold up the
/// requests behind them.
package final class BackgroundExecutor: TaskExecutor, Sendable {
    private let pool: NIOThreadPool

    package init(pool: NIOThreadPool) {
        self.pool = pool
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
