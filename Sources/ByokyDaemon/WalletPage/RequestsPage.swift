import ByokyCore
import ByokyHTTPServer
import ByokyWallet

/// Pending connect requests: who asks (the app's name, and its origin when a browser vouches for
/// it), which providers (checkboxes, to grant a subset), approve or deny. The list refreshes itself
/// (wallet.js polls `/wallet/requests/live`, which renders the same list).
enum RequestsPage {
    static func body(_ pending: [PendingApproval], held: Set<String>, csrf: String) -> HTML {
        """
        <p>Apps ask here before they can use your keys. Nothing is shared until you approve.</p>
        <div id="requests" data-live="/wallet/requests/live" aria-live="polite">\(list(pending, held: held, csrf: csrf))</div>
        """
    }

    /// The list alone (the live fragment).
    static func list(_ pending: [PendingApproval], held: Set<String>, csrf: String) -> HTML {
        guard !pending.isEmpty else {
            return "<p class=\"empty\" data-count=\"0\">No app is waiting. Requests appear here as apps ask.</p>"
        }
        let items = pending.map { item(for: $0, held: held, csrf: csrf) }
        return "<ul class=\"cards\" data-count=\"\(pending.count)\">\(items)</ul>"
    }

    private static func item(for approval: PendingApproval, held: Set<String>, csrf: String) -> HTML {
        let origin: HTML =
            approval.app.origin.map { "<span class=\"origin\">\($0)</span>" }
            ?? "<span class=\"unverified\">a program on this computer (name not verified)</span>"
        let choices = approval.providers.map { requirement -> HTML in
            let id = requirement.id.rawValue
            let name = ProviderRegistry.provider(requirement.id)?.displayName ?? id
            let required: HTML = requirement.required == true ? " <small>required by the app</small>" : ""
            let missing: HTML = held.contains(id) ? "" : " <small class=\"warn\">no key yet</small>"
            return """
                <li><label><input type="checkbox" name="providers" value="\(id)" checked> \(name)</label>\(required)\(missing)</li>
                """
        }
        return """
            <li class="card request" data-id="\(approval.id)">
              <h2>\(approval.app.name)</h2>
              <p>\(origin) asks to use:</p>
              <form method="post" action="/wallet/requests/\(approval.id)/approve">
                \(WalletPageLayout.csrfField(csrf))
                <ul class="choices">\(choices)</ul>
                <p class="meta">Asked \(WalletPageLayout.time(approval.createdAt)); waits until \(WalletPageLayout.time(approval.expiresAt)).</p>
                <div class="actions">
                  <button type="submit" formaction="/wallet/requests/\(approval.id)/deny">Deny</button>
                  <button type="submit" class="primary">Approve</button>
                </div>
              </form>
            </li>
            """
    }
}
