import ByokyCore
import ByokyHTTPServer
import ByokyStore
import Foundation

/// Usage over a range of days: tokens by provider, tokens by app, requests and errors; each chart
/// with its numbers in a table.
enum UsagePage {
    static let ranges: [(value: String, name: String, days: Int)] = [
        ("7d", "last 7 days", 7), ("30d", "last 30 days", 30), ("90d", "last 90 days", 90),
    ]

    static func body(_ rows: [UsageDayRow], range: String, today: Int64) -> HTML {
        let days = ranges.first { $0.value == range }?.days ?? 7
        let dayList = (0..<days).map { today - Int64(days - 1 - $0) }
        func label(_ day: Int64) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "MMM d"
            return formatter.string(from: Date(timeIntervalSince1970: Double(day) * 86_400))
        }
        func chart(_ title: String, unit: String, series key: (UsageDayRow) -> [(String, Int)]) -> BarChart {
            var bars = dayList.map { BarChart.Bar(label: label($0), values: [:]) }
            var names: [String: Int] = [:]
            for row in rows {
                guard let index = dayList.firstIndex(of: row.day) else { continue }
                for (name, value) in key(row) where value > 0 {
                    bars[index].values[name, default: 0] += value
                    names[name, default: 0] += value
                }
            }
            let series = names.sorted { $0.value > $1.value }.map(\.key)
            return BarChart(title: title, unit: unit, bars: bars, series: series)
        }
        let byProvider = chart("Tokens per day, by provider", unit: "tokens") {
            [($0.provider, $0.inputTokens + $0.outputTokens)]
        }
        let byApp = chart("Tokens per day, by app", unit: "tokens") { [($0.appName, $0.inputTokens + $0.outputTokens)] }
        let requests = chart("Requests per day", unit: "requests") {
            [("succeeded", $0.requests - $0.errors), ("failed", $0.errors)]
        }
        let totalTokens = rows.reduce(0) { $0 + $1.inputTokens + $1.outputTokens }
        let totalRequests = rows.reduce(0) { $0 + $1.requests }
        let totalErrors = rows.reduce(0) { $0 + $1.errors }
        let options = ranges.map { item -> HTML in
            let selected: HTML = item.value == range ? " selected" : ""
            return "<option value=\"\(item.value)\"\(selected)>\(item.name)</option>"
        }
        return """
            <form method="get" action="/wallet/usage" class="filters">
              <label>Range <select name="range">\(options)</select></label>
              <button type="submit">Show</button>
            </form>
            <p class="totals"><strong data-total="tokens">\(totalTokens)</strong> tokens ·
              <strong data-total="requests">\(totalRequests)</strong> requests ·
              <strong data-total="errors">\(totalErrors)</strong> failed</p>
            \(byProvider.svg)\(byProvider.table)
            \(byApp.svg)\(byApp.table)
            \(requests.svg)\(requests.table)
            <p class="meta">Days are UTC. Failed requests are counted for the days still in the log (see its retention).</p>
            """
    }
}
