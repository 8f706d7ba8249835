import CByokyConcurrencyHook
import NIOCore
import NIOPosix

/// Runs Swift Concurrency's jobs on NIO's event-loop threads, so a request moves between the
/// bridge's socket, the wallet's async code and the upstream client without thread switches.
enum EventLoopExecutor {
    /// The runtime's hook type: the job, and the runtime's own enqueue function (unused).
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, UnsafeRawPointer) -> Void

    /// Installs the event loops as the global executor. Must run before the first asynchronous
    /// job, as the program's first statement.
    ///
    /// - Returns: Whether jobs now run on the event loops.
    @discardableResult
    static func install() -> Bool {
        if NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() { return true }
        // With the Swift runtime linked statically NIO cannot find the hook: set it here, the
        // same way (a job goes to the current event loop when there is one, else to any).
        let hook = byoky_swift_task_enqueue_global_hook_address()
        guard hook.pointee == nil else { return false }
        let enqueue: EnqueueGlobalHook = { job, _ in
            MultiThreadedEventLoopGroup.singleton.any().enqueue(ExecutorJob(job))
        }
        hook.pointee = unsafeBitCast(enqueue, to: UnsafeMutableRawPointer.self)
        return true
    }
}
