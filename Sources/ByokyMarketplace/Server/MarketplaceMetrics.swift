import Synchronization

/// Counters for `/metrics` (Prometheus text format).
final class MarketplaceMetrics: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    /// Counts one answered request of `route` with `status`.
    func count(route: String, status: Int) {
        counts.withLock { $0["route=\"\(route)\",status=\"\(status)\"", default: 0] += 1 }
    }

    func render(activeGifts: Int) -> String {
        var lines = [
            "# HELP byoky_marketplace_active_gifts Gifts listed and usable now.",
            "# TYPE byoky_marketplace_active_gifts gauge", "byoky_marketplace_active_gifts \(activeGifts)",
            "# HELP byoky_marketplace_requests_total Requests answered, by route and status.",
            "# TYPE byoky_marketplace_requests_total counter",
        ]
        for (labels, count) in counts.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            lines.append("byoky_marketplace_requests_total{\(labels)} \(count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
