import Synchronization

/// Lets a per-key bookkeeping write through at most once per interval (e.g. a key's last-used
/// time), so it does not cost a database write on every request.
final class ThrottledWrites: Sendable {
    private let interval: Int64
    private let lastWrite = Mutex<[String: Int64]>([:])

    init(interval: Int64) {
        self.interval = interval
    }

    /// Whether `key` may be written now (and, if so, notes that it was).
    func shouldWrite(_ key: String, now: Int64) -> Bool {
        lastWrite.withLock { last in
            if let previous = last[key], now - previous < interval { return false }
            last[key] = now
            return true
        }
    }
}
