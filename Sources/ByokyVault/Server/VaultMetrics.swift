import Synchronization

/// Counters for `/metrics` (Prometheus text), per instance.
final class VaultMetrics: Sendable {
    enum Counter: String, CaseIterable {
        case signups, logins
        case loginsFailed = "logins_failed"
        case loginsHeldBack = "logins_held_back"
    }

    private let counts = Mutex<[Counter: Int]>([:])

    func count(_ counter: Counter) {
        counts.withLock { $0[counter, default: 0] += 1 }
    }

    func render(users: Int) -> String {
        let now = counts.withLock { $0 }
        var lines = ["# TYPE byoky_vault_users gauge", "byoky_vault_users \(users)"]
        for counter in Counter.allCases {
            lines.append("# TYPE byoky_vault_\(counter.rawValue)_total counter")
            lines.append("byoky_vault_\(counter.rawValue)_total \(now[counter] ?? 0)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
