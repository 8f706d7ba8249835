import ByokyCore
import ByokyHTTPServer
import ByokyStore
import ByokyWallet

/// Token caps per app (and provider) per period, with what the period has used so far.
enum LimitsPage {
    static func body(_ limits: [Wallet.AllowanceStatus], apps: [String], csrf: String) -> HTML {
        let rows = limits.map { limit -> HTML in
            let provider =
                limit.provider.map { ProviderRegistry.provider(ProviderID($0))?.displayName ?? $0 } ?? "all providers"
            let percent = limit.limit > 0 ? min(100, limit.used * 100 / limit.limit) : 100
            return """
                <tr data-limit="\(limit.app)|\(limit.provider ?? "")|\(limit.period.rawValue)">
                  <td data-label="App"><strong>\(limit.app)</strong></td>
                  <td data-label="Provider">\(provider)</td>
                  <td data-label="Period">\(periodName(limit.period))</td>
                  <td data-label="Used">
                    <meter min="0" max="\(max(limit.limit, 1))" low="\(limit.limit * 3 / 4)" high="\(limit.limit * 9 / 10)" optimum="0" value="\(min(limit.used, max(limit.limit, 1)))" aria-label="\(percent)% used"></meter>
                    <br><small><span class="used">\(limit.used)</span> of \(limit.limit) tokens (\(percent)%)</small>
                  </td>
                  <td>
                    <form method="post" action="/wallet/limits/remove">
                      \(WalletPageLayout.csrfField(csrf))
                      <input type="hidden" name="app" value="\(limit.app)">
                      <input type="hidden" name="provider" value="\(limit.provider ?? "")">
                      <input type="hidden" name="period" value="\(limit.period.rawValue)">
                      <button type="submit" class="danger">Remove</button>
                    </form>
                  </td>
                </tr>
                """
        }
        let table: HTML =
            limits.isEmpty
            ? "<p class=\"empty\">No limits: apps may use your keys as much as the providers allow.</p>"
            : """
            <div class="scroll"><table>
              <thead><tr><th>App</th><th>Provider</th><th>Period</th><th>Used</th><th></th></tr></thead>
              <tbody>\(rows)</tbody>
            </table></div>
            """
        let providers = ProviderRegistry.all.map { provider -> HTML in
            "<option value=\"\(provider.id.rawValue)\">\(provider.displayName)</option>"
        }
        let periods = AllowancePeriod.allCases.map { period -> HTML in
            let selected: HTML = period == .month ? " selected" : ""
            return "<option value=\"\(period.rawValue)\"\(selected)>\(periodName(period))</option>"
        }
        let appOptions = apps.map { app -> HTML in "<option value=\"\(app)\"></option>" }
        return """
            \(table)
            <h2>Set a limit</h2>
            <form method="post" action="/wallet/limits" class="stacked">
              \(WalletPageLayout.csrfField(csrf))
              <label>App <input name="app" list="limit-apps" required maxlength="200" placeholder="the app's name"></label>
              <datalist id="limit-apps">\(appOptions)</datalist>
              <label>Tokens (input and output) <input name="tokens" type="number" min="0" step="1" required></label>
              <label>Provider <select name="provider"><option value="">all providers</option>\(providers)</select></label>
              <label>Period <select name="period">\(periods)</select></label>
              <p class="meta">Enforced before each request, even when several run at once.</p>
              <button type="submit" class="primary">Set limit</button>
            </form>
            """
    }

    static func periodName(_ period: AllowancePeriod) -> String {
        switch period {
        case .lifetime: "ever"
        case .day: "per day (UTC)"
        case .month: "per month"
        }
    }
}
