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
                try printListing(
                    items,
                    json: json,
                    empty: "No requests this \(period).",
                    headers: ["app", "provider", "requests", "tokens"]
                ) {
                    [
                        $0.app, $0.provider, $0.requests == 1 ? "1 request" : "\($0.requests) requests",
                        "\($0.inputTokens) in / \($0.outputTokens) out",
                    ]
                }
            }
        }
    }
}
