import ByokyCore
import Synchronization

/// Ids for audit-log entries: unique, ordered within a process, and cheap (no system call per
/// request). They are not secrets, so a random per-process prefix and a counter suffice.
enum LogEntryID {
    private static let prefix = "log-" + SecureRandom.hexToken(byteCount: 8) + "-"
    private static let counter = Atomic<Int>(0)

    static func next() -> String {
        let value = counter.add(1, ordering: .relaxed).newValue
        return prefix + String(value)
    }
}
