import ByokyCore
import ByokyStore

extension Wallet {
    /// The longest auto-lock the wallet accepts, in minutes (a day).
    public static let maximumAutoLockMinutes = 1440

    /// The auto-lock the owner chose on the wallet page, in minutes (0: never); `nil` when never
    /// chosen (`byoky serve` then uses its default).
    public func autoLockMinutes() async throws -> Int? {
        try await store.setting(Self.autoLockSetting).flatMap(Int.init)
    }

    /// Remembers the auto-lock (minutes without requests, 0: never) for this and later runs.
    ///
    /// - Throws: ``ByokyError`` `INVALID_REQUEST` outside 0 to ``maximumAutoLockMinutes``.
    public func setAutoLockMinutes(_ minutes: Int) async throws {
        guard (0...Self.maximumAutoLockMinutes).contains(minutes) else {
            throw ByokyError(.invalidRequest, "Auto-lock takes 0 (never) to \(Self.maximumAutoLockMinutes) minutes")
        }
        try await store.setSetting(Self.autoLockSetting, to: String(minutes))
    }

    private static let autoLockSetting = "auto_lock_minutes"
}
