/// How long failed logins make the next attempt wait: nothing for the first few, then a wait that
/// doubles with each further failure, capped. Counted per account name and per client address
/// (never one bucket for everyone), in the database, so every instance sees the same counts.
struct LoginBackOff: Sendable {
    let allowed: Int
    let firstWait: Int64
    let longestWait: Int64

    /// Milliseconds to wait after `failures` failures.
    func wait(afterFailures failures: Int) -> Int64 {
        guard failures >= allowed else { return 0 }
        let doublings = min(failures - allowed, 20)
        return min(longestWait, firstWait << Int64(doublings))
    }

    /// Seconds left to wait at `now`, or `nil` when an attempt may go ahead.
    func remaining(failures: Int, lastFailure: Int64, now: Int64) -> Int? {
        let until = lastFailure + wait(afterFailures: failures)
        guard until > now else { return nil }
        return Int((until - now + 999) / 1000)
    }
}
