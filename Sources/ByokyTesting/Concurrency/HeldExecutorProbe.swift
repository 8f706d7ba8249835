import ByokyStore
import NIOPosix

/// Whether an operation holds the executor it was called on: it runs as a task on an executor of
/// one thread (as the daemon runs Swift Concurrency's jobs on its event loops, each a thread that
/// also serves connections), and meanwhile a probe job is sent to the same executor every
/// `interval`. Work the operation does in place (a key derivation, say) keeps every probe sent
/// during it waiting until it ends; work it sends elsewhere does not.
package enum HeldExecutorProbe {
    /// How long the operation took, and the longest any probe waited to run.
    package struct Outcome: Sendable, CustomStringConvertible {
        package let duration: Duration
        package let longestWait: Duration
        package let probes: Int

        package var description: String {
            "the operation took \(duration); \(probes) probes, the longest waited \(longestWait)"
        }
    }

    /// The most probes sent (a minute's worth at the default interval).
    static let maximumProbes = 6_000

    /// Runs `operation` on an executor of one thread, probing it every `interval` until the
    /// operation ends (or ``maximumProbes`` have been sent); rethrows what it throws.
    package static func run(
        interval: Duration = .milliseconds(10),
        _ operation: @escaping @Sendable () async throws -> Void
    ) async throws -> Outcome {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        let executor = BackgroundExecutor(pool: pool)
        let finished = Locked(false)
        let started = ContinuousClock.now
        let running = Task(executorPreference: executor) {
            defer { finished.withLock { $0 = true } }
            try await operation()
            return ContinuousClock.now
        }
        var probes: [Task<Duration, Never>] = []
        while !finished.withLock({ $0 }), probes.count < maximumProbes {
            try? await Task.sleep(for: interval)
            let sent = ContinuousClock.now
            probes.append(Task(executorPreference: executor) { ContinuousClock.now - sent })
        }
        let ended = await running.result
        var longestWait = Duration.zero
        for probe in probes { longestWait = max(longestWait, await probe.value) }
        try await pool.shutdownGracefully()
        return Outcome(duration: try ended.get() - started, longestWait: longestWait, probes: probes.count)
    }
}
