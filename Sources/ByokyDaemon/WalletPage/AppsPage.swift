import ByokyCore
import ByokyHTTPServer
import ByokyWallet

/// The apps holding sessions: where they run, what they may use and have used; revoke one or all.
enum AppsPage {
    struct Row: Sendable {
        let session: SessionSummary
        let usage: SessionUsage?
        /// When the app last made a request (Unix ms).
        let lastUsedAt: Int64?
    }

    static func body(_ rows: [Row], now: Int64, csrf: String) -> HTML {
        let live = rows.filter { !$0.session.revoked && $0.session.expiresAt > now }
        guard !live.isEmpty else {
            return "<p class=\"empty\">No app is connected. Approved requests show up here.</p>"
        }
        let items = live.map { row -> HTML in
            let session = row.session
            let origin: HTML =
                session.origin.map { "<span class=\"origin\">\($0)</span>" }
                ?? "<span class=\"unverified\">program (name not verified)</span>"
            let providers = session.providers.map { id -> HTML in
                "<span class=\"tag\">\(ProviderRegistry.provider(ProviderID(id))?.displayName ?? id)</span>"
            }
            let usage = row.usage ?? SessionUsage(requests: 0, inputTokens: 0, outputTokens: 0, byProvider: [:])
            return """
                <tr data-session="\(session.id)">
                  <td data-label="App"><strong>\(session.app)</strong><br>\(origin)</td>
                  <td data-label="Providers">\(providers)</td>
                  <td data-label="Connected">\(WalletPageLayout.time(session.createdAt))</td>
                  <td data-label="Last used" class="last-used">\(WalletPageLayout.time(row.lastUsedAt))</td>
                  <td data-label="Expires">\(WalletPageLayout.time(session.expiresAt))</td>
                  <td data-label="Used">\(usage.requests) \(usage.requests == 1 ? "request" : "requests")<br><small>\(usage.inputTokens) in · \(usage.outputTokens) out</small></td>
                  <td>
                    <form method="post" action="/wallet/apps/\(session.id)/revoke" data-confirm="Revoke this app's session?">
                      \(WalletPageLayout.csrfField(csrf))
                      <button type="submit" class="danger">Revoke</button>
                    </form>
                  </td>
                </tr>
                """
        }
        return """
            <div class="scroll"><table>
              <thead><tr><th>App</th><th>Providers</th><th>Connected</th><th>Last used</th><th>Expires</th><th>Used</th><th></th></tr></thead>
              <tbody>\(items)</tbody>
            </table></div>
            <form method="post" action="/wallet/apps/revoke-all" data-confirm="Revoke every app's session?">
              \(WalletPageLayout.csrfField(csrf))
              <button type="submit" class="danger">Revoke all</button>
            </form>
            """
    }
}
