import Synchronization

/// Requests per client address per minute, for one kind of request: a fixed one-minute window per
/// address, forgotten once it has passed (so memory follows the addresses of the last minute).
public final class RateLimiter: Sendable {
    public let perMinute: Int
    private struct Window {
        var start: Int64
        var count: Int
    }

    private let windows = Mutex<[String: Window]>([:])

    public init(perMinute: Int) {
        self.perMinute = perMinute
    }

    /// Counts a request from `client` at `now` (Unix ms); returns the seconds to wait when over
    /// the limit, `nil` when it may go on.
    public func admit(_ client: String, now: Int64) -> Int? {
        windows.withLock { windows in
            if windows.count > 100_000 { windows = windows.filter { now - $0.value.start < 60_000 } }
            var window = windows[client] ?? Window(start: now, count: 0)
            if now - window.start >= 60_000 { window = Window(start: now, count: 0) }
            guard window.count < perMinute else {
                return Int((window.start + 60_000 - now + 999) / 1000)
            }
            window.count += 1
            windows[client] = window
            return nil
        }
    }
}
