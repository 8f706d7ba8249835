import ByokyCore
import ByokyStore

extension Wallet {
    static let failureCountSetting = "vault.unlock_failures"
    static let blockedUntilSetting = "vault.unlock_blocked_until"
    /// Failed attempts allowed before back-off starts.
    static let freeAttempts = 5

    /// Unlocks with `password`.
    ///
    /// After five wrong passwords each further attempt is refused for 1, 2, 4, … minutes (capped at
    /// 32), counted in the database so restarting the daemon does not reset it.
    ///
    /// - Throws: ``ByokyError`` `UNAUTHORIZED` for a wrong password, `TOO_MANY_REQUESTS` (with
    ///   `retryAfter` seconds) while backing off, `INVALID_REQUEST` when there is no vault yet.
    public func unlock(password: String) async throws {
        guard let text = try await store.setting(Self.wrappedKeySetting) else {
            throw ByokyError(.invalidRequest, "This wallet is not set up yet — run `byoky init`")
        }
        let current = now()
        if let blocked = Int64(try await store.setting(Self.blockedUntilSetting) ?? ""), blocked > current {
            let seconds = Int((blocked - current + 999) / 1000)
            throw ByokyError(
                .tooManyRequests,
                "Too many wrong passwords — try again in \(seconds)s",
                details: ["retryAfter": String(seconds)]
            )
        }
        let wrapped = try JSONCoding.decode(WrappedDataKey.self, from: text)
        do {
            setDataKey(try await KeyDerivationWork.run { try wrapped.unwrap(password: password) })
        } catch {
            let failures = (Int(try await store.setting(Self.failureCountSetting) ?? "") ?? 0) + 1
            try await store.setSetting(Self.failureCountSetting, to: String(failures))
            if failures >= Self.freeAttempts {
                let minutes = Int64(1) << Int64(min(5, failures - Self.freeAttempts))
                try await store.setSetting(Self.blockedUntilSetting, to: String(current + minutes * 60_000))
            }
            throw ByokyError(.unauthorized, "Wrong master password")
        }
        try await store.setSetting(Self.failureCountSetting, to: "0")
        try await store.setSetting(Self.blockedUntilSetting, to: "0")
    }

    /// Re-wraps the data key under `newPassword` (secrets are not re-encrypted).
    public func changePassword(from oldPassword: String, to newPassword: String) async throws {
        guard PasswordStrength(newPassword).isAcceptable else {
            throw ByokyError(.invalidRequest, "The new master password is too weak")
        }
        guard let text = try await store.setting(Self.wrappedKeySetting) else {
            throw ByokyError(.invalidRequest, "This wallet is not set up yet — run `byoky init`")
        }
        let wrapped = try JSONCoding.decode(WrappedDataKey.self, from: text)
        let changed: WrappedDataKey
        do {
            changed = try await KeyDerivationWork.run {
                try wrapped.rewrapped(oldPassword: oldPassword, newPassword: newPassword)
            }
        } catch {
            throw ByokyError(.unauthorized, "Wrong master password")
        }
        try await store.setSetting(Self.wrappedKeySetting, to: try JSONCoding.encodeString(changed))
    }
}
