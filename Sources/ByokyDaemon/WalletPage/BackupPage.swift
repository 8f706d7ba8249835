import ByokyCore
import ByokyHTTPServer
import Foundation

/// Backups: every key in a `.byoky` file sealed with a password of its own (readable by the
/// byoky browser extension too), and keys added back from one.
enum BackupPage {
    static func body(keyCount: Int, csrf: String) -> HTML {
        """
        <h2>Export</h2>
        <form method="post" action="/wallet/backup/export" class="stacked" autocomplete="off">
          \(WalletPageLayout.csrfField(csrf))
          <p class="meta">Downloads a <code>.byoky</code> file with your \(keyCount) key(s), encrypted with the password
            you choose here (12 or more characters; not your master password). Keep the password apart from the file.</p>
          <label>Backup password <input name="password" type="password" required minlength="12" autocomplete="new-password"></label>
          <label>Repeat it <input name="confirm" type="password" required minlength="12" autocomplete="new-password"></label>
          <button type="submit" class="primary">Download backup</button>
        </form>
        <h2>Import</h2>
        <form method="post" action="/wallet/backup/import" enctype="multipart/form-data" class="stacked" autocomplete="off">
          \(WalletPageLayout.csrfField(csrf))
          <p class="meta">Adds the keys of a <code>.byoky</code> file (from byoky or the byoky browser extension). Keys you
            already have are kept as they are; nothing is replaced.</p>
          <label>Backup file <input name="file" type="file" required accept=".byoky,application/json,text/plain"></label>
          <label>Its password <input name="password" type="password" required autocomplete="off"></label>
          <button type="submit" class="primary">Import</button>
        </form>
        """
    }

    /// The download's file name, dated (UTC) like the extension's exports.
    static func fileName(now: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return "byoky-vault-\(formatter.string(from: Date(timeIntervalSince1970: Double(now) / 1000))).byoky"
    }
}
