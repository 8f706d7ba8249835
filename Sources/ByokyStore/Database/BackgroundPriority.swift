#if canImport(Glibc)
import Glibc
#endif

/// Lowers the priority of background threads (the audit-log writer), so the scheduler lets a
/// request's thread run first when both want a core.
enum BackgroundPriority {
    /// The nice value background threads run at (0 is normal, 19 the lowest priority).
    static let niceValue: Int32 = 19

    /// Moves the calling thread to the idle scheduling class on Linux (`SCHED_IDLE`: it runs only
    /// on a core nothing else wants, and gives way at once when a request's thread wakes), with
    /// the lowest nice value as the fallback. Elsewhere nothing changes.
    ///
    /// An unprivileged thread cannot come back from either, so callers keep work that must not
    /// starve off this thread (see ``RequestLogWriter``).
    static func lowerCurrentThread() {
        #if os(Linux)
        // On Linux a nice value and a policy belong to a thread; `who == 0` / pid 0 is the caller.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceValue)
        var parameters = sched_param(sched_priority: 0)
        _ = sched_setscheduler(0, idlePolicy, &parameters)
        #endif
    }

    #if os(Linux)
    /// `SCHED_IDLE` from `<sched.h>` (not exported to Swift by Glibc's module map).
    private static let idlePolicy: Int32 = 5
    #endif
}
