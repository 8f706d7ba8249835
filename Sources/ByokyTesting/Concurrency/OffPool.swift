import Foundation

/// Runs long CPU-bound test work on a thread of its own. A synchronous test body holds one of
/// the few threads of Swift's cooperative pool for as long as it runs; on a two-core machine two
/// such tests starve every async test of the run (their time limits then expire).
///
/// `#expect` does not reach the test from that thread: return what to check, and check it after.
package enum OffPool {
    /// Runs `work` on a new thread and waits for it without holding a pool thread.
    package static func run<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result(catching: work))
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
