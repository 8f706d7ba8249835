import ByokyCore
import ByokyRelay
import ByokyTesting
import Testing

/// A relay run by a task that is cancelled (a test past its time limit, an embedding app that
/// stops) ends, with or without a graceful shutdown first; before, its listener was waited on
/// with no regard to cancellation, and the task never ended.
@Suite(.timeLimit(.minutes(1)))
struct RelayCancellationTests {
    /// Whether `work` ended within `limit` once its task was cancelled.
    static func ends(
        within limit: Duration,
        cancelling work: @escaping @Sendable () async throws -> Void,
        after delay: Duration
    ) async -> Bool {
        let task = Task { _ = try? await work() }
        try? await Task.sleep(for: delay)
        task.cancel()
        return await TaskDeadline.value(of: task, within: limit) != nil
    }

    @Test func aRelayStartedByACancelledTaskEnds() async {
        let ended = await Self.ends(
            within: .seconds(20),
            cancelling: {
                withUnsafeCurrentTask { $0?.cancel() }
                try await RelayServer().withRunningServer { _ in }
            },
            after: .zero
        )
        #expect(ended)
    }

    @Test func aRelayWhoseTaskIsCancelledWhileItServesEnds() async {
        let started = Locked(false)
        let ended = await Self.ends(
            within: .seconds(20),
            cancelling: {
                try await RelayServer().withRunningServer { _ in
                    started.withLock { $0 = true }
                    // Ends only when cancelled.
                    try await Task.sleep(for: .seconds(600))
                }
            },
            after: .milliseconds(500)
        )
        #expect(started.withLock { $0 })
        #expect(ended)
    }
}
