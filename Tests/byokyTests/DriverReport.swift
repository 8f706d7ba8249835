import Foundation
import Testing

/// The report a Chromium driver script prints (`{"checks": {name: {"ok", "detail"}}}`).
enum DriverReport {
    /// The checks, each expected one asserted to have passed (its detail is the failure message).
    static func checks(in output: String, expecting expected: [String]) throws -> [String: [String: Any]] {
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any],
            "the driver printed no report: \(output)"
        )
        let checks = try #require(report["checks"] as? [String: [String: Any]])
        for name in expected {
            let check = checks[name]
            #expect(check?["ok"] as? Bool == true, "\(name): \(check?["detail"] ?? "not run")")
        }
        return checks
    }
}
