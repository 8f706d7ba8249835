import ByokyHTTPServer
import ByokyWallet

/// The wallet's settings: the master password, and how it locks.
enum SettingsPage {
    static func body(autoLockAfter: Duration?, csrf: String) -> HTML {
        let minutes = autoLockAfter.map { Int($0.components.seconds / 60) } ?? 0
        let autoLock: HTML =
            minutes > 0
            ? "after <strong id=\"auto-lock\">\(minutes)</strong> minutes without requests"
            : "<strong id=\"auto-lock\">never</strong>"
        return """
            <h2>Locking</h2>
            <p>This wallet locks itself: \(autoLock). Locking logs every browser out of this page.</p>
            <form method="post" action="/wallet/settings/auto-lock" class="stacked">
              \(WalletPageLayout.csrfField(csrf))
              <label>Lock after this many minutes without requests (0: never)
                <input name="minutes" type="number" min="0" max="\(Wallet.maximumAutoLockMinutes)" step="1" required value="\(minutes)"></label>
              <p class="meta">Applies at once and to later starts (unless <code>byoky serve --auto-lock-minutes</code> says otherwise).</p>
              <button type="submit">Save</button>
            </form>
            <form method="post" action="/wallet/lock">
              \(WalletPageLayout.csrfField(csrf))
              <button type="submit">Lock now</button>
            </form>
            <h2>Change the master password</h2>
            <form method="post" action="/wallet/settings/password" class="stacked" autocomplete="off">
              \(WalletPageLayout.csrfField(csrf))
              <label>Current password <input type="password" name="current" required autocomplete="current-password"></label>
              <label>New password <input type="password" name="new" required autocomplete="new-password" minlength="12"></label>
              <label>New password again <input type="password" name="confirm" required autocomplete="new-password"></label>
              <p class="meta">Your keys are not re-encrypted, only the key that opens them. Backups keep their own passwords.</p>
              <button type="submit" class="primary">Change password</button>
            </form>
            """
    }
}
