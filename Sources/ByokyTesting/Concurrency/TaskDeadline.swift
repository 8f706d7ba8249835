/// Waits for a task for a bounded time, for tests of what must end: a task that does not end in
/// time (one that ignores its cancellation, say) fails the test instead of hanging its process.
package enum TaskDeadline {
    /// What `task` returned if it ended within `limit`; else `nil`, and the task is cancelled and
    /// left behind (never awaited again).
    package static func value<Value: Sendable>(of task: Task<Value, Never>, within limit: Duration) async -> Value? {
        let (outcomes, outcome) = AsyncStream.makeStream(of: Value?.self)
        let watcher = Task { outcome.yield(await task.value) }
        let timer = Task {
            try? await Task.sleep(for: limit)
            outcome.yield(nil)
        }
        var iterator = outcomes.makeAsyncIterator()
        let first = await iterator.next() ?? nil
        watcher.cancel()
        timer.cancel()
        outcome.finish()
        if first == nil { task.cancel() }
        return first
    }
}
