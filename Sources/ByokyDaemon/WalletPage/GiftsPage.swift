import ByokyCore
import ByokyHTTPServer
import ByokyStore
import ByokyWallet

/// Gifts: token budgets on one of the owner's keys, shared as a link (the key never leaves the
/// wallet), and gifts received from others.
enum GiftsPage {
    /// How long a new gift may last, as the form offers it.
    static let lifetimes: [(value: String, name: String, milliseconds: Int64)] = [
        ("1d", "1 day", 86_400_000),
        ("7d", "7 days", 7 * 86_400_000),
        ("30d", "30 days", 30 * 86_400_000),
        ("90d", "90 days", 90 * 86_400_000),
    ]

    static func body(
        given: [GiftSummary],
        received: [ReceivedGiftSummary],
        keys: [CredentialSummary],
        relayURL: String,
        vaultURL: String?,
        csrf: String
    ) -> HTML {
        """
        \(givenTable(given, vaultURL: vaultURL, csrf: csrf))
        \(createForm(keys: keys, relayURL: relayURL, csrf: csrf))
        <h2>Gifts received</h2>
        \(receivedTable(received, csrf: csrf))
        <h3>Redeem a gift</h3>
        <form method="post" action="/wallet/gifts/redeem" class="stacked" autocomplete="off">
          \(WalletPageLayout.csrfField(csrf))
          <label>Gift link <textarea name="link" required rows="3" spellcheck="false" placeholder="https://byoky.com/gift/…"></textarea></label>
          <p class="meta">A received gift can serve your apps: pin it in a group on the Routing page.</p>
          <button type="submit" class="primary">Redeem</button>
        </form>
        """
    }

    /// A budget as a bar and its numbers.
    static func budget(used: Int, max maximum: Int) -> HTML {
        let remaining = Swift.max(0, maximum - used)
        let percent = maximum > 0 ? min(100, used * 100 / maximum) : 100
        return """
            <meter min="0" max="\(Swift.max(maximum, 1))" low="\(maximum * 3 / 4)" high="\(maximum * 9 / 10)" optimum="0" value="\(min(used, Swift.max(maximum, 1)))" aria-label="\(percent)% used"></meter>
            <br><small><span class="used">\(used)</span> used, <span class="remaining">\(remaining)</span> of \(maximum) left</small>
            """
    }

    private static func providerName(_ id: String) -> String {
        ProviderRegistry.provider(ProviderID(id))?.displayName ?? id
    }

    /// The switch that has the vault serve a gift while this wallet is offline (only with a vault
    /// login, and only for a live gift; turning it off stays possible for any gift it serves).
    private static func vaultSwitch(_ gift: GiftSummary, vaultURL: String?, csrf: String) -> HTML {
        if gift.servedByVault {
            return """
                <span class="tag ok">vault serves it when offline</span>
                <form method="post" action="/wallet/gifts/\(gift.id)/vault-off" data-confirm="Stop the vault serving this gift? It forgets the gift's key.">
                  \(WalletPageLayout.csrfField(csrf))
                  <button type="submit">Stop vault serving</button>
                </form>
                """
        }
        guard let vaultURL, gift.status == "active" else { return "" }
        return """
            <form method="post" action="/wallet/gifts/\(gift.id)/vault-on" data-confirm="The vault at \(vaultURL) will receive this gift's key and room secrets so it can answer the gift's receivers while this wallet is offline (within its budget and expiry). Its operator could use that key. Turn on?">
              \(WalletPageLayout.csrfField(csrf))
              <button type="submit">Serve from vault when offline</button>
            </form>
            """
    }

    private static func givenTable(_ gifts: [GiftSummary], vaultURL: String?, csrf: String) -> HTML {
        guard !gifts.isEmpty else {
            return
                "<p class=\"empty\">No gifts yet. A gift shares a token budget on one of your keys, never the key.</p>"
        }
        let rows = gifts.map { gift -> HTML in
            let online: HTML =
                switch gift.online {
                case true?: "<span class=\"tag ok\">online</span>"
                case false?: "<span class=\"tag\">offline</span>"
                case nil: ""
                }
            let revoke: HTML =
                gift.status == "revoked"
                ? ""
                : """
                <form method="post" action="/wallet/gifts/\(gift.id)/revoke" data-confirm="Revoke this gift? Its link stops working at once.">
                  \(WalletPageLayout.csrfField(csrf))
                  <button type="submit" class="danger">Revoke</button>
                </form>
                """
            return """
                <tr data-gift="\(gift.id)">
                  <td data-label="Gift"><strong>\(gift.label)</strong><br><small>\(providerName(gift.provider))</small></td>
                  <td data-label="Budget">\(budget(used: gift.usedTokens, max: gift.maxTokens))</td>
                  <td data-label="Expires">\(WalletPageLayout.time(gift.expiresAt))</td>
                  <td data-label="State"><span class="status">\(gift.status)</span> \(online) \(vaultSwitch(gift, vaultURL: vaultURL, csrf: csrf))</td>
                  <td><a class="button" href="/wallet/gifts/\(gift.id)">Link</a> \(revoke)</td>
                </tr>
                """
        }
        return """
            <div class="scroll"><table>
              <thead><tr><th>Gift</th><th>Budget</th><th>Expires</th><th>State</th><th></th></tr></thead>
              <tbody>\(rows)</tbody>
            </table></div>
            """
    }

    private static func createForm(keys: [CredentialSummary], relayURL: String, csrf: String) -> HTML {
        guard !keys.isEmpty else {
            return "<p class=\"meta\">Add a key on the Keys page to make a gift.</p>"
        }
        let options = keys.map { key -> HTML in
            "<option value=\"\(key.id)\">\(key.label) (\(providerName(key.provider)))</option>"
        }
        let lifetimes = lifetimes.map { lifetime -> HTML in
            let selected: HTML = lifetime.value == "7d" ? " selected" : ""
            return "<option value=\"\(lifetime.value)\"\(selected)>\(lifetime.name)</option>"
        }
        return """
            <h2>Make a gift</h2>
            <form method="post" action="/wallet/gifts" class="stacked" autocomplete="off">
              \(WalletPageLayout.csrfField(csrf))
              <label>Key <select name="key" required>\(options)</select></label>
              <label>Budget (tokens) <input name="budget" type="number" min="1" max="\(Wallet.maximumGiftBudget)" step="1" required value="100000"></label>
              <label>Expires after <select name="expires">\(lifetimes)</select></label>
              <label>From (the name the receiver sees) <input name="label" maxlength="200" placeholder="A byoky friend"></label>
              <label>Relay <input name="relay" type="url" required value="\(relayURL)"></label>
              <fieldset><legend>Public board</legend>
                <label><input type="checkbox" name="list" value="1"> Also list it on a token marketplace, for anyone to redeem</label>
                <label>Name on the board <input name="boardName" maxlength="100" placeholder="Anonymous"></label>
                <label>Marketplace <input name="marketplace" type="url" value="\(MarketplaceClient.defaultURL)"></label>
              </fieldset>
              <p class="meta">Requests on a gift run through your wallet while it is online; the receiver never sees the key.</p>
              <button type="submit" class="primary">Make gift</button>
            </form>
            """
    }

    private static func receivedTable(_ gifts: [ReceivedGiftSummary], csrf: String) -> HTML {
        guard !gifts.isEmpty else {
            return "<p class=\"empty\">No gifts received. Paste a gift link below to redeem one.</p>"
        }
        let rows = gifts.map { gift -> HTML in
            """
            <tr data-received="\(gift.id)">
              <td data-label="From"><strong>\(gift.from)</strong><br><small>\(providerName(gift.provider))</small></td>
              <td data-label="Budget">\(budget(used: gift.usedTokens, max: gift.maxTokens))</td>
              <td data-label="Expires">\(WalletPageLayout.time(gift.expiresAt))</td>
              <td data-label="State"><span class="status">\(gift.status)</span></td>
              <td>
                <form method="post" action="/wallet/gifts/received/\(gift.id)/remove" data-confirm="Remove this gift from your wallet?">
                  \(WalletPageLayout.csrfField(csrf))
                  <button type="submit" class="danger">Remove</button>
                </form>
              </td>
            </tr>
            """
        }
        return """
            <div class="scroll"><table>
              <thead><tr><th>From</th><th>Budget</th><th>Expires</th><th>State</th><th></th></tr></thead>
              <tbody>\(rows)</tbody>
            </table></div>
            """
    }

    /// One gift's shareable link, as text to copy and as a QR code to scan, and its board listing.
    static func detail(_ gift: GiftSummary, link: String, listing: GiftListingRecord?, csrf: String) -> HTML {
        let qr = (try? QRCode(encoding: Array(link.utf8), errorCorrection: .low))
            .map { HTML(trusted: $0.svg()) }
        return """
            <p><strong>\(gift.label)</strong> · \(providerName(gift.provider)) · \(gift.status) · expires \(WalletPageLayout.time(gift.expiresAt))</p>
            \(budget(used: gift.usedTokens, max: gift.maxTokens))
            <h2>Share</h2>
            <p class="meta">Anyone with this link can spend the gift's budget. Send it only to its receiver.</p>
            <div class="qr" id="gift-qr">\(qr ?? "<p class=\"error\">The link is too long for a QR code.</p>")</div>
            <p><code id="gift-link" class="secret-text">\(link)</code></p>
            <p><button type="button" data-copy="gift-link">Copy link</button> <a class="button" href="/wallet/gifts">Back to gifts</a></p>
            <h2>Public board</h2>
            \(board(gift, listing: listing, csrf: csrf))
            """
    }

    private static func board(_ gift: GiftSummary, listing: GiftListingRecord?, csrf: String) -> HTML {
        if let listing {
            let state: HTML = listing.unlistedAt == nil ? "listed" : "taken off"
            return """
                <p id="listing"><span class="tag ok">\(state)</span> on \(listing.marketplaceURL) as
                  <strong>\(listing.displayName)</strong>. Your wallet tells the board while it serves the gift.</p>
                """
        }
        guard gift.status == "active" else { return "<p class=\"meta\">Not listed.</p>" }
        return """
            <form method="post" action="/wallet/gifts/\(gift.id)/list" class="stacked" id="listing">
              \(WalletPageLayout.csrfField(csrf))
              <p class="meta">Not listed. A listed gift can be redeemed by anyone who finds it on the board.</p>
              <label>Name on the board <input name="boardName" maxlength="100" placeholder="Anonymous"></label>
              <label>Marketplace <input name="marketplace" type="url" required value="\(MarketplaceClient.defaultURL)"></label>
              <button type="submit">List on the board</button>
            </form>
            """
    }
}
