import ByokyCore
import Synchronization

/// Ids for audit-log entries: unique, ordered within a process, and cheap (no system call per
/// request). They are not secrets, so a random per-process prefix and a counter suffice.
///
/// The counter is written with a fixed number of digits, so a process's ids sort as they were
/// made (an unpadded `…-10` sorts before `…-9`): the log's primary-key index grows at one end,
/// and entries made in the same millisecond list in the order they were made.
enum LogEntryID {
    private static let prefix = Array(("log-" + SecureRandom.hexToken(byteCount: 8) + "-").utf8)
    private static let counter = Atomic<Int>(0)
    /// Digits of the counter: a process makes fewer than 10^12 entries.
    static let digits = 12

    static func next() -> String {
        make(number: counter.add(1, ordering: .relaxed).newValue)
    }

    /// The id of the process's entry `number`, written in one allocation.
    static func make(number: Int) -> String {
        let prefix = self.prefix
        return String(unsafeUninitializedCapacity: prefix.count + digits) { buffer in
            _ = buffer.initialize(fromContentsOf: prefix)
            var rest = number
            for index in stride(from: prefix.count + digits - 1, through: prefix.count, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            return prefix.count + digits
        }
    }
}
