public import ByokyCore
import ByokyStore
import Foundation

extension Wallet {
    /// The wallet's folder (where its database and its vault login live).
    public var home: WalletHome {
        WalletHome(path: URL(fileURLWithPath: store.path).deletingLastPathComponent().path)
    }

    /// This wallet's saved vault login, if any.
    public func vaultLogin() -> VaultLoginRecord? {
        VaultLoginRecord.read(in: home)
    }

    /// Signs up or logs in to a vault and keeps the login (`vault-login.json`, 0600).
    @discardableResult
    public func enterVault(
        url: String,
        username: String,
        password: SecretString,
        signingUp: Bool
    ) async throws -> VaultLoginRecord {
        let client = try VaultClient(url)
        let answer =
            signingUp
            ? try await client.signUp(username: username, password: password)
            : try await client.logIn(username: username, password: password)
        let login = VaultLoginRecord(url: client.baseURL, username: answer.user.username, token: answer.token)
        try login.write(in: home)
        return login
    }

    /// Sends this wallet's keys, removals and routing to its vault account, and brings the gifts
    /// the vault serves up to date both ways.
    /// - Throws: ``ByokyError`` `UNAUTHORIZED` when not logged in, `WALLET_LOCKED`, or the vault's refusal.
    public func pushToVault(forceRouting: Bool = false) async throws -> VaultSyncReport {
        var (login, client) = try savedVaultLogin()
        var report = try await pushKeys(to: client, token: SecretString(login.token))
        report.routing = try await pushRouting(to: client, login: &login, force: forceRouting)
        try login.write(in: home)
        report.gifts = try await syncServedGifts()
        return report
    }

    /// Brings the vault account's changes (since the last pull, or `all`) into this wallet, and the
    /// gifts the vault serves up to date both ways.
    public func pullFromVault(all: Bool = false, forceRouting: Bool = false) async throws -> VaultSyncReport {
        var (login, client) = try savedVaultLogin()
        var report = try await pullKeys(
            from: client,
            token: SecretString(login.token),
            since: all ? 0 : login.lastPulledAt
        )
        report.routing = try await pullRouting(from: client, login: &login, force: forceRouting)
        login.lastPulledAt = report.serverTime
        try login.write(in: home)
        report.gifts = try await syncServedGifts()
        return report
    }

    /// Ends the login at the vault (when it answers) and forgets it here.
    public func leaveVault() async {
        await VaultLoginRecord.leave(in: home)
    }

    /// The saved login and a client for its vault, or `UNAUTHORIZED` saying what to run.
    public func savedVaultLogin() throws -> (VaultLoginRecord, VaultClient) {
        try VaultLoginRecord.saved(in: home)
    }
}
