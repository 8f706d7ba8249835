import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet

extension ByokyCommand {
    /// `byoky limit …`: token caps per app.
    struct Limit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cap how many tokens an app may use (in total or per provider, per day, month or lifetime).",
            discussion: """
                Caps count input plus output tokens and are enforced before each request: the
                wallet reserves the request's worst case, so even many requests at once cannot
                go over. Model lists and token counts spend nothing and are never refused.
                Example: byoky limit set my-app 200000 --period month
                """,
            subcommands: [Set.self, List.self, Remove.self]
        )

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Set or change a cap.")
            @Argument(help: "The app's name (see `byoky sessions`).") var app: String
            @Argument(help: "Tokens allowed per period.") var tokens: Int
            @Option(help: "Only this provider (default: all together).") var provider: String?
            @Option(help: "lifetime, day or month (UTC).") var period = "month"
            @OptionGroup var options: WalletOptions

            func validate() throws {
                _ = try parsePeriod(period)
                guard tokens >= 0 else { throw ValidationError("<tokens> takes 0 or more") }
            }

            func run() async throws {
                try await reportingErrors {
                    let setting = AllowanceSetting(
                        app: app,
                        tokens: tokens,
                        provider: provider,
                        period: try parsePeriod(period)
                    )
                    _ = try await throughDaemon(options, { try .put("/limits", setting) }, changes: true) { wallet in
                        try await wallet.setAllowance(
                            app: app,
                            tokens: tokens,
                            provider: provider.map { ProviderID($0) },
                            period: setting.period
                        )
                        return try await wallet.allowanceStatuses()
                    }
                    print("\(app) may use \(tokens) tokens per \(period)\(provider.map { " on \($0)" } ?? "").")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show caps and how much of each is used.")
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let statuses = try await throughDaemon(options, { .get("/limits") }) {
                        try await $0.allowanceStatuses()
                    }
                    try printListing(
                        statuses,
                        json: json,
                        empty: "No limits set.",
                        headers: ["app", "provider", "period", "used"]
                    ) {
                        [$0.app, $0.provider ?? "all", "per \($0.period.rawValue)", "\($0.used) / \($0.limit) tokens"]
                    }
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a cap.")
            @Argument(help: "The app's name.") var app: String
            @Option(help: "The provider the cap is on (default: the all-providers cap).") var provider: String?
            @Option(help: "lifetime, day or month.") var period = "month"
            @OptionGroup var options: WalletOptions

            func validate() throws { _ = try parsePeriod(period) }

            func run() async throws {
                try await reportingErrors {
                    let window = try parsePeriod(period)
                    let request = ControlRequest.delete(
                        "/limits",
                        query: [("app", app), ("provider", provider), ("period", window.rawValue)]
                    )
                    _ = try await throughDaemon(options, { request }, changes: true) { wallet in
                        try await wallet.removeAllowance(
                            app: app,
                            provider: provider.map { ProviderID($0) },
                            period: window
                        )
                        return try await wallet.allowanceStatuses()
                    }
                    print("Removed the limit.")
                }
            }
        }
    }
}

/// A period name from the command line.
private func parsePeriod(_ text: String) throws -> AllowancePeriod {
    guard let period = AllowancePeriod(rawValue: text) else {
        throw ValidationError("--period must be lifetime, day or month")
    }
    return period
}
