import ByokyCore
import ByokyHTTPServer
import Foundation

/// The public board (`GET /`), rendered on the server: it works without script; `board.js` only
/// ticks the countdowns, refreshes the cards and copies links.
enum BoardPage {
    static func page(title: String, body: HTML) -> HTML {
        """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <meta name="referrer" content="no-referrer">
          <title>\(title) · byoky marketplace</title>
          <link rel="stylesheet" href="/marketplace/assets/board.css">
          <script type="module" src="/marketplace/assets/board.js"></script>
        </head>
        <body>
          <header><a class="brand" href="/">byoky</a> <nav><a href="/">Token board</a> <a href="/catalogue">Apps</a></nav></header>
          <main id="main">
            \(body)
          </main>
        </body>
        </html>
        """
    }

    static func board(_ listing: BoardListing, provider: String?, now: Int64) -> HTML {
        let options = ProviderRegistry.all.map { item -> HTML in
            let selected: HTML = item.id.rawValue == provider ? " selected" : ""
            return "<option value=\"\(item.id.rawValue)\"\(selected)>\(item.displayName)</option>"
        }
        let active: HTML =
            listing.active.isEmpty
            ? "<p class=\"empty\">No gifts right now. When someone shares one, it shows up here.</p>"
            : "<ul class=\"cards\" id=\"active\">\(listing.active.map { card($0, ended: false, now: now) })</ul>"
        let ended: HTML =
            listing.expired.isEmpty
            ? "<p class=\"empty\">None.</p>"
            : "<ul class=\"cards ended\" id=\"expired\">\(listing.expired.map { card($0, ended: true, now: now) })</ul>"
        return page(
            title: "Board",
            body: """
                <h1>Free AI tokens, shared by people</h1>
                <p class="lead">Each gift is a token budget on someone's own API key, served by their byoky wallet. You
                  get the budget, never the key, and the giver does not learn who you are. Redeem one into your wallet
                  with <code>byoky gift redeem</code>.</p>
                <form method="get" action="/" class="filter">
                  <label>Provider <select name="provider"><option value="">all</option>\(options)</select></label>
                  <button type="submit">Filter</button>
                </form>
                <h2>Available now</h2>
                \(active)
                <h2>Expired or used up</h2>
                \(ended)
                """
        )
    }

    static func card(_ gift: BoardItem, ended: Bool, now: Int64) -> HTML {
        let percent = gift.tokenBudget > 0 ? gift.tokensRemaining * 100 / gift.tokenBudget : 0
        let state: HTML =
            gift.online
            ? "<span class=\"dot online\" role=\"img\" aria-label=\"online\" title=\"online\"></span>"
            : "<span class=\"dot offline\" role=\"img\" aria-label=\"offline\" title=\"offline\"></span>"
        let action: HTML = ended ? "" : "<a class=\"button\" href=\"/redeem/\(gift.id)\">Redeem</a>"
        return """
            <li class="card" data-gift="\(gift.id)">
              <div class="top">\(state) <strong>\(gift.providerName)</strong> <span class="by">from <span class="name">\(gift.gifterName)</span></span></div>
              <progress max="\(max(gift.tokenBudget, 1))" value="\(gift.tokensRemaining)" aria-label="\(percent)% of the tokens left"></progress>
              <p class="meta"><span class="remaining">\(gift.tokensRemaining)</span> of \(gift.tokenBudget) tokens left</p>
              <p class="meta">\(ended ? "ended" : "expires in") <time datetime="\(iso(gift.expiresAt))" data-expires="\(gift.expiresAt)">\(countdown(gift.expiresAt, now: now))</time></p>
              \(action)
            </li>
            """
    }

    /// What redeeming a gift shows: its link, as text and as a QR code, and the command that takes it.
    static func redemption(_ gift: BoardItem, link: String) -> HTML {
        let qr = (try? QRCode(encoding: Array(link.utf8), errorCorrection: .low)).map { HTML(trusted: $0.svg()) }
        return page(
            title: "Redeem",
            body: """
                <h1>Redeem a gift</h1>
                <p><strong>\(gift.providerName)</strong> · from <span class="name">\(gift.gifterName)</span> ·
                  \(gift.tokensRemaining) tokens left</p>
                <ol class="steps">
                  <li>Copy the link (or scan the code with the byoky app).</li>
                  <li>Run <code>byoky gift redeem</code> and paste it: the wallet reads it from standard input.</li>
                  <li>Route an app to it: <code>byoky group add gifted --provider \(gift.providerId) --gift \(String(gift.id.prefix(8)))</code></li>
                </ol>
                <div class="qr" id="gift-qr">\(qr ?? "<p>The link is too long for a QR code.</p>")</div>
                <p><code id="gift-link" class="link">\(link)</code></p>
                <p><button type="button" data-copy="gift-link">Copy link</button> <a class="button" href="/">Back to the board</a></p>
                """
        )
    }

    static func message(_ title: String, _ text: String) -> HTML {
        page(
            title: title,
            body: "<h1>\(title)</h1><p>\(text)</p><p><a class=\"button\" href=\"/\">Back to the board</a></p>"
        )
    }

    /// "3d 4h", "2h 5m", "4m 10s" until `expiresAt`; "expired" after (board.js ticks the same form).
    static func countdown(_ expiresAt: Int64, now: Int64) -> String {
        let seconds = (expiresAt - now) / 1000
        guard seconds > 0 else { return "expired" }
        let days = seconds / 86_400
        let hours = seconds % 86_400 / 3600
        let minutes = seconds % 3600 / 60
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        return "\(minutes)m \(seconds % 60)s"
    }

    static func iso(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601)
    }
}
