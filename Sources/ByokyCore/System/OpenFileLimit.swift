#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files, as servers want it: every connection holds a file
/// descriptor, and the usual soft limit (1,024 on most Linux desktops, 256 on macOS) is one a
/// single client can exhaust by opening connections, which then refuses everyone else.
public enum OpenFileLimit {
    /// Raises the soft limit on open files to the hard limit (on macOS at most `OPEN_MAX`, which
    /// its kernel enforces), as servers such as nginx and Go programs do; never lowers it.
    /// Returns the soft limit in force afterwards (`Int.max` for none), or `nil` when it cannot be
    /// read.
    @discardableResult
    public static func raiseToHardLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(resourceNumber, &limit) == 0 else { return nil }
        var wanted = limit.rlim_max
        #if canImport(Darwin)
        wanted = min(wanted, rlim_t(OPEN_MAX))
        #endif
        if wanted > limit.rlim_cur {
            var raised = limit
            raised.rlim_cur = wanted
            if setrlimit(resourceNumber, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    #if canImport(Glibc)
    private static let resourceNumber = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceNumber = RLIMIT_NOFILE
    #endif
}
