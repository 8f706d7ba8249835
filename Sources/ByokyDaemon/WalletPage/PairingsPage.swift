import ByokyCore
import ByokyHTTPServer
import ByokyWallet

/// Relay pairings: serve an app on another device by pasting the code it shows; stop one.
enum PairingsPage {
    static func body(_ pairings: [PairingBook.Item], held: [String], csrf: String) -> HTML {
        let rows = pairings.map { item -> HTML in
            let providers = item.providers.map { id -> HTML in
                "<span class=\"tag\">\(ProviderRegistry.provider(ProviderID(id))?.displayName ?? id)</span>"
            }
            return """
                <tr data-pairing="\(item.id)">
                  <td data-label="App"><strong>\(item.app)</strong></td>
                  <td data-label="Providers">\(providers)</td>
                  <td data-label="State">\(item.state)</td>
                  <td data-label="Since">\(WalletPageLayout.time(item.startedAt))</td>
                  <td>
                    <form method="post" action="/wallet/pairings/\(item.id)/stop" data-confirm="Stop serving this app?">
                      \(WalletPageLayout.csrfField(csrf))
                      <button type="submit" class="danger">Stop</button>
                    </form>
                  </td>
                </tr>
                """
        }
        let table: HTML =
            pairings.isEmpty
            ? "<p class=\"empty\">No pairings. When an app on another device shows a pairing code, paste it below.</p>"
            : """
            <div class="scroll"><table>
              <thead><tr><th>App</th><th>Providers</th><th>State</th><th>Since</th><th></th></tr></thead>
              <tbody>\(rows)</tbody>
            </table></div>
            """
        let choices = held.map { id -> HTML in
            let name = ProviderRegistry.provider(ProviderID(id))?.displayName ?? id
            return
                "<li><label><input type=\"checkbox\" name=\"providers\" value=\"\(id)\" checked> \(name)</label></li>"
        }
        return """
            \(table)
            <h2>Pair an app</h2>
            <form method="post" action="/wallet/pairings" class="stacked" autocomplete="off">
              \(WalletPageLayout.csrfField(csrf))
              <label>Pairing code <textarea name="code" required rows="3" spellcheck="false" placeholder="byoky://pair/…"></textarea></label>
              <fieldset><legend>Providers to offer</legend><ul class="choices">\(choices)</ul></fieldset>
              <p class="meta">The app names itself in the code; the name is not verified. Requests are end-to-end
                encrypted and run under a session of their own, with your limits and log.</p>
              <button type="submit" class="primary">Pair</button>
            </form>
            """
    }
}
