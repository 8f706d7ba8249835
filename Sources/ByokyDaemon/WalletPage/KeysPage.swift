import ByokyCore
import ByokyHTTPServer
import ByokyWallet

/// The owner's provider keys: masked, never sent back; add (typed once), rename, remove.
enum KeysPage {
    /// - Parameter usedBy: the apps each key (by id) serves now.
    static func body(_ keys: [CredentialSummary], usedBy: [String: [String]], csrf: String) -> HTML {
        let rows = keys.map { key -> HTML in
            let provider = ProviderRegistry.provider(ProviderID(key.provider))?.displayName ?? key.provider
            let address: HTML = key.baseURL.map { "<br><small>\($0)</small>" } ?? ""
            let apps = usedBy[key.id] ?? []
            let users: HTML =
                apps.isEmpty
                ? "<small>no app now</small>"
                : HTML(
                    trusted: apps.map { (app: String) -> HTML in "<span class=\"tag\">\(app)</span>" }.map(
                        \.description
                    ).joined()
                )
            return """
                <tr data-key="\(key.id)">
                  <td data-label="Provider">\(provider)\(address)</td>
                  <td data-label="Label">
                    <form method="post" action="/wallet/keys/\(key.id)/rename" class="inline">
                      \(WalletPageLayout.csrfField(csrf))
                      <label class="visually-hidden" for="label-\(key.id)">Label</label>
                      <input id="label-\(key.id)" name="label" value="\(key.label)" maxlength="100" required>
                      <button type="submit">Rename</button>
                    </form>
                  </td>
                  <td data-label="Key"><code>\(key.masked)</code></td>
                  <td data-label="Added">\(WalletPageLayout.time(key.createdAt))</td>
                  <td data-label="Last used">\(WalletPageLayout.time(key.lastUsedAt))</td>
                  <td data-label="Used by" class="used-by">\(users)</td>
                  <td>
                    <form method="post" action="/wallet/keys/\(key.id)/remove" data-confirm="Remove this key? Apps using it stop working.">
                      \(WalletPageLayout.csrfField(csrf))
                      <button type="submit" class="danger">Remove</button>
                    </form>
                  </td>
                </tr>
                """
        }
        let table: HTML =
            keys.isEmpty
            ? "<p class=\"empty\">No keys yet. Add one below; apps then reach that provider through you.</p>"
            : """
            <div class="scroll"><table>
              <thead><tr><th>Provider</th><th>Label</th><th>Key</th><th>Added</th><th>Last used</th><th>Used by</th><th></th></tr></thead>
              <tbody>\(rows)</tbody>
            </table></div>
            """
        let options = ProviderRegistry.all.map { provider -> HTML in
            "<option value=\"\(provider.id.rawValue)\">\(provider.displayName)</option>"
        }
        return """
            \(table)
            <h2>Add a key</h2>
            <form method="post" action="/wallet/keys" class="stacked" autocomplete="off">
              \(WalletPageLayout.csrfField(csrf))
              <label>Provider <select name="provider" required>\(options)</select></label>
              <label>Label <input name="label" maxlength="100" placeholder="e.g. personal"></label>
              <label>API key <input type="password" name="secret" required autocomplete="new-password" spellcheck="false"></label>
              <label>Base URL <input name="baseURL" type="url" placeholder="only for Azure OpenAI, Ollama, LM Studio or a proxy"></label>
              <p class="meta">The key is stored encrypted with your master password. This page never shows it again.</p>
              <button type="submit" class="primary">Add key</button>
            </form>
            """
    }
}
