import ByokyCore
import ByokyHTTPServer
import ByokyWallet

/// Cloud Sync: this wallet's account on a byoky vault (log in or sign up, push, pull, log out) and
/// the app sessions made through it, which the owner can end.
enum CloudSyncPage {
    /// The app sessions as the vault listed them, or why they could not be listed.
    enum AppSessions {
        case listed([VaultAppSessionItem])
        case unavailable(String)
    }

    static func body(login: VaultLoginRecord?, apps: AppSessions?, csrf: String) -> HTML {
        guard let login else { return loggedOut(csrf: csrf) }
        let pulled: HTML =
            login.lastPulledAt == 0
            ? "never" : "\(WalletPageLayout.time(login.lastPulledAt))"
        return """
            <h2>Account</h2>
            <p id="vault-account">Logged in as <strong>\(login.username)</strong> on <code>\(login.url)</code>.
              Last pulled: \(pulled).</p>
            <p class="meta">Push sends this wallet's keys, removals, groups and limits to the account; pull brings what
              other devices changed. The later version of each key wins; a key or routing changed on both sides is
              reported, never silently overwritten. See docs/vault.md.</p>
            <div class="actions">
              <form method="post" action="/wallet/sync/push">\(WalletPageLayout.csrfField(csrf))
                <button type="submit" class="primary">Push to the vault</button></form>
              <form method="post" action="/wallet/sync/pull">\(WalletPageLayout.csrfField(csrf))
                <button type="submit">Pull from the vault</button></form>
              <form method="post" action="/wallet/sync/logout">\(WalletPageLayout.csrfField(csrf))
                <button type="submit">Log out</button></form>
            </div>
            <h2>Apps using the vault</h2>
            \(appSessions(apps, csrf: csrf))
            """
    }

    private static func appSessions(_ apps: AppSessions?, csrf: String) -> HTML {
        switch apps {
        case .none, .listed([]):
            return "<p class=\"meta\">No app is connected through the vault.</p>"
        case .unavailable(let reason):
            return "<p class=\"error\">The vault did not list its app sessions: \(reason)</p>"
        case .listed(let items):
            let rows = items.map { item -> HTML in
                let origin: HTML = item.appOrigin.map { "<code>\($0)</code>" } ?? "a program"
                return """
                    <tr data-app-session="\(item.id)">
                      <td data-label="App">\(item.appName)</td>
                      <td data-label="From">\(origin)</td>
                      <td data-label="Providers">\(item.providers.joined(separator: ", "))</td>
                      <td data-label="Until">\(WalletPageLayout.time(item.expiresAt))</td>
                      <td><form method="post" action="/wallet/sync/apps/\(item.id)/end">\(WalletPageLayout.csrfField(csrf))
                        <button type="submit">End</button></form></td>
                    </tr>
                    """
            }
            return """
                <table>
                  <thead><tr><th>App</th><th>From</th><th>Providers</th><th>Until</th><th></th></tr></thead>
                  <tbody>\(rows)</tbody>
                </table>
                """
        }
    }

    private static func loggedOut(csrf: String) -> HTML {
        """
        <p>A byoky vault keeps a copy of your keys, groups and limits under an account, so apps can use them where
          no wallet runs (a server, a phone) and another wallet can pull them. The vault's operator can use the keys
          it serves with; read docs/threat_model.md before choosing one.</p>
        <form method="post" action="/wallet/sync/login" class="stacked" autocomplete="off" id="vault-login">
          \(WalletPageLayout.csrfField(csrf))
          <label>Vault <input name="vault" type="url" required value="\(VaultClient.defaultURL)"></label>
          <label>Username <input name="username" required minlength="3" maxlength="30" autocomplete="username"></label>
          <label>Vault password <input name="password" type="password" required autocomplete="current-password"></label>
          <p class="meta">Not your master password: the vault account has its own (12 or more characters).</p>
          <div class="actions">
            <button type="submit" name="mode" value="login" class="primary">Log in</button>
            <button type="submit" name="mode" value="signup">Create the account</button>
          </div>
        </form>
        """
    }
}
