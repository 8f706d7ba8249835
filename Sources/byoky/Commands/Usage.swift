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

        struct Item: Encodable {
            let app: String
            let provider: String
            let requests: Int
            let inputTokens: Int
            let outputTokens: Int
        }

        func validate() throws {
            guard AllowancePeriod(rawValue: period) != nil else {
                throw ValidationError("--period must be day, month or lifetime")
            }
        }

        func run() async throws {
            try await reportingErrors {
                let window = AllowancePeriod(rawValue: period) ?? .month
                let rows = try await withWallet(options) { wallet in
                    try await wallet.store.usageSummary(since: window.windowStart(containing: wallet.now()), app: app)
                }
                let items = rows.map {
                    Item(
                        app: $0.appName,
                        provider: $0.provider,
                        requests: $0.requests,
                        inputTokens: $0.inputTokens,
                        outputTokens: $0.outputTokens
                    )
                }
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
