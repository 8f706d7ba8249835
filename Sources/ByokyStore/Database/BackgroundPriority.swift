#if canImport(Glibc)
import Glibc
#endif

/// Lowers the priority of background threads (the audit-log writer), so the scheduler lets a
/// request's thread run first when both want a core.
enum BackgroundPriority {
    /// The nice value background threads run at (0 is normal, 19 the lowest priority).
    static let niceValue: Int32 = 10

    /// Lowers the calling thread's priority (on Linux the nice value belongs to a thread, and
    /// `who == 0` names the calling one; elsewhere nothing changes).
    static func lowerCurrentThread() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceValue)
        #endif
    }
}
