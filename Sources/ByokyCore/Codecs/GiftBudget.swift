/// Arithmetic on a gift's token budget and expiry, shared by giver and receiver.
public enum GiftBudget {
    /// Whether a gift expiring at `expiresAt` has expired at `now` (both Unix milliseconds).
    public static func isExpired(expiresAt: Int64, now: Int64) -> Bool { expiresAt <= now }

    /// Whether the budget is used up.
    public static func isExhausted(used: Int, max: Int) -> Bool { used >= max }

    /// Tokens left, never negative.
    public static func remaining(used: Int, max: Int) -> Int { Swift.max(0, max - used) }

    /// Percent used, rounded, capped at 100; a zero budget counts as fully used.
    public static func percentUsed(used: Int, max: Int) -> Int {
        guard max > 0 else { return 100 }
        return Int.clamping((Double(used) / Double(max) * 100).rounded(), to: Int.min...100)
    }
}
