import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet
import Foundation

extension ByokyCommand {
    /// `byoky apps …`: apps from a marketplace's catalogue, installed into this wallet.
    struct Apps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Install apps from a marketplace's catalogue, and turn them off or remove them.",
            discussion: """
                Installing an app trusts its origin with the providers it declares: its
                connects are approved without asking you, for those providers only (others are
                refused). Turning it off revokes its sessions at once; `enable` trusts it
                again; `uninstall` removes it. Open installed apps, sandboxed, from the wallet
                page's App Store (`byoky open`).
                """,
            subcommands: [Store.self, Install.self, List.self, Disable.self, Enable.self, Uninstall.self]
        )

        /// Turns an installed app on or off, through the daemon when one runs.
        static func turn(_ slug: String, on: Bool, _ options: WalletOptions) async throws -> InstalledAppRecord {
            try await reportingErrors {
                try await throughDaemon(
                    options,
                    {
                        try .post(
                            "/apps/\(ControlClient.pathComponent(slug))/\(on ? "enable" : "disable")",
                            [String: String]()
                        )
                    },
                    changes: true
                ) { try await $0.setInstalledApp(slug, enabled: on) }
            }
        }

        struct Store: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Print a marketplace's app catalogue.")
            @Option(help: "The marketplace.") var marketplace = MarketplaceClient.defaultURL
            @Option(help: "Only apps whose name or description holds this.") var search: String?
            @Option(
                help: "Only apps of this category (\(AppCategory.allCases.map(\.rawValue).joined(separator: ", ")))."
            )
            var category: String?
            @Flag(help: "Print JSON.") var json = false

            func run() async throws {
                try await reportingErrors {
                    let chosen = try category.map {
                        guard let category = AppCategory(rawValue: $0) else {
                            throw ByokyError(.invalidRequest, "Unknown category \"\(TerminalText.printable($0))\"")
                        }
                        return category
                    }
                    let listing = try await MarketplaceClient(marketplace).catalogue(search: search, category: chosen)
                    try printListing(
                        listing.apps,
                        json: json,
                        empty: "No apps in \(marketplace)'s catalogue match.",
                        headers: ["app", "name", "category", "providers", "address"]
                    ) { app in
                        [app.slug, app.name, app.category.rawValue, app.providers.joined(separator: ","), app.url]
                    }
                }
            }
        }

        struct Install: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Install an app from the catalogue (shows what it will be trusted with and asks first)."
            )
            @Argument(help: "The app's slug (see `byoky apps store`).") var slug: String
            @Option(help: "The marketplace.") var marketplace = MarketplaceClient.defaultURL
            @Flag(help: "Install without asking (for scripts).") var yes = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let app = try await MarketplaceClient(marketplace).app(slug: slug)
                    print(
                        "\(TerminalText.printable(app.name)) by \(TerminalText.printable(app.authorName)) — \(app.url)"
                    )
                    print("It will be trusted to use: \(app.providers.joined(separator: ", "))")
                    print("Connects from \(app.origin) are then approved without asking, for these providers only.")
                    if !yes {
                        guard isatty(STDIN_FILENO) == 1 else {
                            throw ByokyError(.invalidRequest, "Confirm with --yes when not at a terminal")
                        }
                        FileHandle.standardOutput.write(Data("Install? [y/N] ".utf8))
                        guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                            return print("Not installed.")
                        }
                    }
                    let request = AppInstallRequest(marketplace: marketplace, slug: slug, providers: app.providers)
                    let installed = try await throughDaemon(options, { try .post("/apps", request) }, changes: true) {
                        try await $0.install(request)
                    }
                    print("Installed \(installed.name). Open it from the wallet page's App Store (`byoky open`).")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the installed apps.")
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let apps = try await throughDaemon(options, { .get("/apps") }) { try await $0.installedApps() }
                    try printListing(
                        apps,
                        json: json,
                        empty: "No apps installed. Find some with `byoky apps store`.",
                        headers: ["app", "on", "name", "providers", "origin"]
                    ) { app in
                        [app.slug, app.isEnabled ? "on" : "off", app.name, app.providers, app.origin]
                    }
                }
            }
        }

        struct Disable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Turn an installed app off: its trust is suspended and its sessions revoked at once."
            )
            @Argument(help: "The app's slug (see `byoky apps list`).") var slug: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                let app = try await Apps.turn(slug, on: false, options)
                print("\(app.name) is off: its sessions were revoked and it is no longer trusted.")
            }
        }

        struct Enable: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Turn an installed app back on.")
            @Argument(help: "The app's slug (see `byoky apps list`).") var slug: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                let app = try await Apps.turn(slug, on: true, options)
                print("\(app.name) is on: it is trusted with \(app.providers.replacing(",", with: ", ")) again.")
            }
        }

        struct Uninstall: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Remove an installed app: its trust and its sessions go."
            )
            @Argument(help: "The app's slug (see `byoky apps list`).") var slug: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let revoked = try await throughDaemon(
                        options,
                        { .delete("/apps/\(ControlClient.pathComponent(slug))") },
                        changes: true
                    ) { RevokedCount(revoked: try await $0.uninstallApp(slug)) }
                    print("Uninstalled \(slug) (\(revoked.revoked) session\(revoked.revoked == 1 ? "" : "s") revoked).")
                }
            }
        }
    }
}
