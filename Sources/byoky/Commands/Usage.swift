import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet

extension ByokyCommand {
    /// `byoky usage`.
    struct Usage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show requests and tokens by app and provider for the current day, month, or all time."
        )
        @Option(help: "day, month or lifetime (UTC).") var period = "month"
        @Option(help: "Only this app.") var app: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: WalletOptions

        func validate() throws {
            guard AllowancePeriod(rawValue: period) != nil else {
                throw ValidationError("--period must be day, month or lifetime")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let window = AllowancePeriod(rawValue: period) ?? .month
                let request = ControlRequest.get("/usage", query: [("period", window.rawValue), ("app", app)])
                let items = try await throughDaemon(options, { request }) { try await $0.usage(in: window, app: app) }
                if json { return try printJSON(items) }
                if items.isEmpty { return print("No requests this \(period).") }
                for item in items {
                    print(
                        "\(item.app)\t\(item.provider)\t\(item.requests) requests\t\(item.inputTokens) in / \(item.outputTokens) out"
                    )
                }
            }
        }
    }
}
