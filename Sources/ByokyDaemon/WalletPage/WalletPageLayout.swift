import ByokyCore
import ByokyHTTPServer
import Foundation

/// The frame every wallet page shares: head, navigation, the notice of the last action, and the
/// log-out and lock buttons. No inline script or style (the Content-Security-Policy forbids them).
enum WalletPageLayout {
    /// A page of the wallet: its path under `/wallet/` and its name in the navigation.
    enum Section: String, CaseIterable, Sendable {
        case requests, keys, apps, store, routing, limits, usage, log, gifts, pairings, sync, backup, settings

        var title: String {
            switch self {
            case .requests: "Requests"
            case .keys: "Keys"
            case .apps: "Apps"
            case .store: "App Store"
            case .routing: "Routing"
            case .limits: "Limits"
            case .usage: "Usage"
            case .log: "Log"
            case .gifts: "Gifts"
            case .pairings: "Pairings"
            case .sync: "Cloud Sync"
            case .backup: "Backup"
            case .settings: "Settings"
            }
        }
    }

    /// What the last action did, named by a fixed code in the redirect (never text from a request).
    static let notices: [String: String] = [
        "approved": "Approved. The app is connected.",
        "denied": "Denied. The app was told no.",
        "key-added": "Key added. It is stored encrypted; the page will never show it again.",
        "key-renamed": "Key renamed.",
        "key-removed": "Key removed.",
        "revoked": "The app's session was revoked.",
        "revoked-all": "Every app session was revoked.",
        "unlocked": "Unlocked.",
        "group-added": "Group added. Assign apps to it below.",
        "group-removed": "Group removed. Its apps reach the providers they ask for again.",
        "assigned": "App assigned: its next request follows the group.",
        "unassigned": "App taken out of its group.",
        "limit-set": "Limit set. It applies from the next request.",
        "limit-removed": "Limit removed.",
        "paired": "Pairing started: the wallet serves the app as soon as it is online.",
        "pairing-stopped": "Pairing stopped.",
        "password-changed": "Master password changed. Use the new one to unlock from now on.",
        "gift-created": "Gift made. Share its link or QR code with its receiver.",
        "gift-created-listed": "Gift made and listed on the board. Your wallet keeps the board told while it serves.",
        "gift-created-not-listed":
            "Gift made, but the board did not take it (it refused or did not answer). List it again below.",
        "gift-listed": "Listed on the board.",
        "gift-revoked": "Gift revoked: its link stopped working, and it leaves its board.",
        "gift-vault-on": "Your vault now serves this gift while this wallet is offline.",
        "gift-vault-off": "Your vault no longer serves this gift, and forgot its key.",
        "gift-redeemed": "Gift redeemed. Pin it in a group on the Routing page to use it.",
        "gift-removed": "Received gift removed.",
        "auto-lock-set": "Auto-lock changed.",
        "app-installed":
            "App installed. Open it below: it runs sandboxed, and is trusted with its declared providers only.",
        "app-disabled": "App turned off: its sessions were revoked and it is no longer trusted.",
        "app-enabled": "App turned on again.",
        "vault-logged-in": "Logged in to the vault. Push this wallet's keys, or pull another device's.",
        "vault-signed-up": "Vault account created and logged in. Push to copy this wallet's keys, groups and limits.",
        "vault-logged-out": "Logged out of the vault. The keys it holds stay there until you remove them.",
        "vault-app-ended": "The app's vault session ended: its key stopped working.",
        "app-uninstalled": "App uninstalled: its trust and its sessions are gone.",
    ]

    /// A whole page.
    static func page(
        title: String,
        section: Section?,
        csrf: String?,
        notice: String? = nil,
        error: String? = nil,
        body: HTML
    ) -> HTML {
        let navigation: HTML =
            csrf == nil
            ? ""
            : """
            <nav aria-label="Wallet">
              <ul>\(Section.allCases.map { item -> HTML in
                  let current: HTML = item == section ? #" aria-current="page""# : ""
                  return "<li><a href=\"/wallet/\(item.rawValue)\"\(current)>\(item.title)</a></li>"
              })</ul>
              <form method="post" action="/wallet/lock" class="inline">
                <input type="hidden" name="csrf" value="\(csrf ?? "")">
                <button type="submit">Lock</button>
              </form>
              <form method="post" action="/wallet/logout" class="inline">
                <input type="hidden" name="csrf" value="\(csrf ?? "")">
                <button type="submit">Log out</button>
              </form>
            </nav>
            """
        let noticeBlock: HTML = notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" } ?? ""
        let errorBlock: HTML = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        return """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <meta name="referrer" content="no-referrer">
              <title>\(title) · byoky wallet</title>
              <link rel="stylesheet" href="/wallet/assets/wallet.css">
              <script type="module" src="/wallet/assets/wallet.js"></script>
            </head>
            <body>
              <header><a class="brand" href="/wallet/">byoky</a> <span class="version">wallet \(ByokyVersion.current)</span></header>
              \(navigation)
              <main id="main">
                <h1>\(title)</h1>
                \(noticeBlock)\(errorBlock)
                \(body)
              </main>
            </body>
            </html>
            """
    }

    /// A time as the owner reads it (UTC, to the minute).
    static func time(_ milliseconds: Int64?) -> String {
        guard let milliseconds, milliseconds > 0 else { return "never" }
        return Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(timeStyle)
    }

    /// Made once: a log page formats a time per row, and a `DateFormatter` per call cost more than
    /// the rest of the page's rendering together.
    private static let timeStyle = Date.VerbatimFormatStyle(
        format: """
            \(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \
            \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits) UTC
            """,
        locale: Locale(identifier: "en_US_POSIX"),
        timeZone: TimeZone(identifier: "UTC")!,
        calendar: Calendar(identifier: .gregorian)
    )

    /// The hidden CSRF field of a form.
    static func csrfField(_ token: String) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(token)\">"
    }
}
