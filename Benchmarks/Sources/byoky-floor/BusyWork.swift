#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Work of a set length added to the relay floor's request cycle (`FLOOR_BUSY_US` microseconds,
/// at `FLOOR_BUSY_AT`), to see what a microsecond of an event loop's work costs a client at
/// concurrency 1 depending on where in the cycle it falls (Benchmarks/Bridge/busy.sh):
/// `before-answer` (between the provider's answer and its write to the client, what the client
/// waits for), `after-answer` (right after that write) or `after-request` (held until the
/// client's next request has been written to the provider, while the provider works).
struct BusyWork {
    enum Place: String {
        case beforeAnswer = "before-answer"
        case afterAnswer = "after-answer"
        case afterRequest = "after-request"
    }

    let microseconds: Int
    let place: Place?

    /// The work the environment asks for; none when `FLOOR_BUSY_US` is unset or zero.
    static let configured: BusyWork = {
        let microseconds = variable("FLOOR_BUSY_US").flatMap { Int($0) } ?? 0
        let place = variable("FLOOR_BUSY_AT").flatMap(Place.init(rawValue:)) ?? .beforeAnswer
        return BusyWork(microseconds: microseconds, place: microseconds > 0 ? place : nil)
    }()

    private static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// Runs the work when `place` is where it was asked for.
    func run(at place: Place) {
        guard place == self.place else { return }
        let end = Self.nanosecondsNow() + microseconds * 1000
        while Self.nanosecondsNow() < end {}
    }

    private static func nanosecondsNow() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1_000_000_000 + now.tv_nsec
    }
}
