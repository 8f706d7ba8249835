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
    /// A job goes to the current event loop when there is one, else to any, and runs there on
    /// the generic executor, as the default global executor runs its jobs. (SwiftNIO's own
    /// installer runs them on the loop's serial executor instead: every `await` of a nonisolated
    /// function then counts as a change of executor and goes back through the loop's queue,
    /// 55 times per proxied request here.) The hook is set through a C shim because SwiftNIO
    /// cannot find it in a binary linked with the Swift runtime statically.
    ///
    /// - Returns: Whether jobs now run on the event loops.
    @discardableResult
    static func install() -> Bool {
        let hook = byoky_swift_task_enqueue_global_hook_address()
        guard hook.pointee == nil else { return false }
        let enqueue: EnqueueGlobalHook = { job, _ in
            let address = UInt(bitPattern: unsafeBitCast(job, to: UnsafeMutableRawPointer.self))
            MultiThreadedEventLoopGroup.singleton.any().execute {
                byoky_run_job_on_generic_executor(UnsafeMutableRawPointer(bitPattern: address)!)
            }
        }
        hook.pointee = unsafeBitCast(enqueue, to: UnsafeMutableRawPointer.self)
        return true
    }
}
