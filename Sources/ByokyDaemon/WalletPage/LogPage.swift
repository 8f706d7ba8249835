import ByokyCore
import ByokyHTTPServer
import ByokyStore
import ByokyWallet
import Foundation

/// The audit log: every request with app, provider (and where it went), model, status, tokens and
/// time; filtered by app, provider, outcome and time, a page of 50 at a time.
enum LogPage {
    static let pageSize = 50

    /// The time ranges offered, by their query value.
    static let ranges: [(value: String, name: String, milliseconds: Int64?)] = [
        ("all", "all time", nil), ("1h", "last hour", 3_600_000), ("24h", "last 24 hours", 86_400_000),
        ("7d", "last 7 days", 7 * 86_400_000), ("30d", "last 30 days", 30 * 86_400_000),
    ]

    /// The filter a query names (unknown values fall back to "everything").
    static func filter(from query: [String: String], now: Int64) -> (LogFilter, range: String) {
        let app = query["app"].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
        let provider = query["provider"].flatMap { ProviderRegistry.provider(ProviderID($0)) == nil ? nil : $0 }
        let outcome = query["outcome"].flatMap(LogFilter.Outcome.init(rawValue:)) ?? .all
        let range = ranges.first { $0.value == query["range"] } ?? ranges[0]
        return (
            LogFilter(app: app, provider: provider, outcome: outcome, since: range.milliseconds.map { now - $0 }),
            range.value
        )
    }

    static func body(
        _ entries: [LogEntrySummary],
        next: LogCursor?,
        filter: LogFilter,
        range: String,
        isFirstPage: Bool,
        apps: [String]
    ) -> HTML {
        let rows = entries.map { entry -> HTML in
            let routed: HTML =
                entry.actualProvider != entry.provider && !entry.actualProvider.isEmpty
                ? " → \(entry.actualProvider)" : ""
            let tokens: HTML =
                entry.inputTokens == nil && entry.outputTokens == nil
                ? "—" : "\(entry.inputTokens ?? 0) in · \(entry.outputTokens ?? 0) out"
            let status: HTML =
                entry.status < 400
                ? "<span class=\"status ok\">\(entry.status)</span>"
                : "<span class=\"status bad\">\(entry.status)</span> <small>\(entry.errorCode ?? "")</small>"
            return """
                <tr>
                  <td data-label="Time">\(WalletPageLayout.time(entry.createdAt))</td>
                  <td data-label="App">\(entry.appName)</td>
                  <td data-label="Provider">\(entry.provider)\(routed)<br><small>\(entry.model ?? "")</small></td>
                  <td data-label="Status">\(status)</td>
                  <td data-label="Tokens">\(tokens)</td>
                  <td data-label="Time taken">\(entry.latencyMs) ms</td>
                </tr>
                """
        }
        let providerOptions = ProviderRegistry.all.map { provider -> HTML in
            let selected: HTML = filter.provider == provider.id.rawValue ? " selected" : ""
            return "<option value=\"\(provider.id.rawValue)\"\(selected)>\(provider.displayName)</option>"
        }
        let outcomeOptions = LogFilter.Outcome.allCases.map { outcome -> HTML in
            let selected: HTML = filter.outcome == outcome ? " selected" : ""
            let name = outcome == .all ? "any status" : outcome == .succeeded ? "succeeded" : "failed"
            return "<option value=\"\(outcome.rawValue)\"\(selected)>\(name)</option>"
        }
        let rangeOptions = ranges.map { item -> HTML in
            let selected: HTML = item.value == range ? " selected" : ""
            return "<option value=\"\(item.value)\"\(selected)>\(item.name)</option>"
        }
        let appOptions = apps.map { app -> HTML in "<option value=\"\(app)\"></option>" }
        var query: [(String, String)] = []
        if let app = filter.app { query.append(("app", app)) }
        if let provider = filter.provider { query.append(("provider", provider)) }
        if filter.outcome != .all { query.append(("outcome", filter.outcome.rawValue)) }
        if range != "all" { query.append(("range", range)) }
        let base = query.map { "\($0.0)=\(escape($0.1))" }.joined(separator: "&")
        let newer: HTML = isFirstPage ? "" : "<a class=\"button\" href=\"/wallet/log?\(base)\">Newest</a>"
        let older: HTML =
            next.map {
                "<a class=\"button\" href=\"/wallet/log?\(base)&before=\(escape($0.token))\" rel=\"next\">Older</a>"
            } ?? ""
        let table: HTML =
            entries.isEmpty
            ? "<p class=\"empty\">No requests match.</p>"
            : """
            <div class="scroll"><table class="log">
              <thead><tr><th>Time</th><th>App</th><th>Provider</th><th>Status</th><th>Tokens</th><th>Time taken</th></tr></thead>
              <tbody>\(rows)</tbody>
            </table></div>
            """
        return """
            <form method="get" action="/wallet/log" class="filters">
              <label>App <input name="app" list="log-apps" value="\(filter.app ?? "")" maxlength="200"></label>
              <datalist id="log-apps">\(appOptions)</datalist>
              <label>Provider <select name="provider"><option value="">any provider</option>\(providerOptions)</select></label>
              <label>Status <select name="outcome">\(outcomeOptions)</select></label>
              <label>Time <select name="range">\(rangeOptions)</select></label>
              <button type="submit">Filter</button>
            </form>
            \(table)
            <div class="actions pager">\(newer)\(older)</div>
            """
    }

    private static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~")))
            ?? ""
    }
}
