import ArgumentParser
import ByokyCore
import ByokyWallet
import Foundation

extension ByokyCommand {
    /// `byoky vault …`: this wallet's account on a byoky vault, and the keys it syncs there.
    struct Vault: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sync this wallet's keys with an account on a byoky vault (to use them where no wallet runs).",
            discussion: """
                  byoky vault signup --vault https://vault.example.com --username ana
                  byoky vault push   # this wallet's keys, groups and limits to the account
                  byoky vault pull   # the account's changes into this wallet (elsewhere)
                  byoky vault apps   # sessions made through the vault (`revoke <id>` ends one)

                The vault password is read from --vault-password-file, else standard input,
                else a hidden prompt — never from the wallet's password file. The login is
                kept in the wallet's folder (vault-login.json, mode 0600) until
                `byoky vault logout`. See docs/vault.md.
                """,
            subcommands: [
                Signup.self, Login.self, Status.self, Push.self, Pull.self, Apps.self, Revoke.self, Logout.self,
            ]
        )

        /// Where and as whom: the options of `signup` and `login`.
        struct Account: ParsableArguments {
            @Option(help: "The vault.") var vault = VaultClient.defaultURL
            @Option(help: "Your vault username.") var username: String
            @Option(help: "File whose first line is the vault password.") var vaultPasswordFile: String?
        }

        /// What a push or pull did to the routing, as the end of its summary line.
        static func describe(_ routing: VaultSyncReport.RoutingOutcome) -> String {
            switch routing {
            case .pushed: "routing (groups, limits) sent."
            case .pulled: "routing (groups, limits) taken from the vault."
            case .unchanged: "routing unchanged."
            case .conflict:
                "routing changed both here and in the vault since the last sync, so neither was overwritten: "
                    + "`byoky vault push --force-routing` keeps this wallet's, `pull --force-routing` takes the vault's."
            }
        }

        /// Signs up or logs in, and keeps the login.
        static func enter(_ account: Account, _ options: WalletOptions, signingUp: Bool) async throws {
            // The vault's address is checked before the password is asked for (making a client
            // checks it and reaches nothing).
            _ = try VaultClient(account.vault)
            let password = SecretString(
                try SecretInput.separatePassword(file: account.vaultPasswordFile, purpose: "vault", isNew: signingUp)
            )
            let login = try await withWallet(options) { wallet in
                try await wallet.enterVault(
                    url: account.vault,
                    username: account.username,
                    password: password,
                    signingUp: signingUp
                )
            }
            print(
                signingUp
                    ? "Signed up as \(login.username) on \(login.url). Next: byoky vault push"
                    : "Logged in as \(login.username) on \(login.url)."
            )
        }

        struct Signup: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a vault account and log in to it.")
            @OptionGroup var account: Account
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors { try await Vault.enter(account, options, signingUp: true) }
            }
        }

        struct Login: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Log in to your vault account.")
            @OptionGroup var account: Account
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors { try await Vault.enter(account, options, signingUp: false) }
            }
        }

        struct Status: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Say which vault this wallet is logged in to.")
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    guard let login = VaultLoginRecord.read(in: options.home) else {
                        return print("Not logged in to a vault (byoky vault login).")
                    }
                    let holds = try await VaultClient(login.url).isLoggedIn(token: SecretString(login.token))
                    let pulled =
                        login.lastPulledAt == 0 ? "never pulled" : "last pulled \(formatTime(login.lastPulledAt))"
                    print(
                        "\(login.username) on \(login.url): "
                            + (holds ? "logged in, \(pulled)" : "the login has ended — run `byoky vault login`")
                    )
                }
            }
        }

        struct Push: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Upload this wallet's keys, groups and limits to the vault account (the later version wins)."
            )
            @Flag(help: "Send this wallet's routing even if another device changed the vault's since.")
            var forceRouting = false
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let (login, _) = try VaultLoginRecord.saved(in: options.home)
                    let report = try await withWallet(options, unlock: true) { wallet in
                        try await wallet.pushToVault(forceRouting: forceRouting)
                    }
                    if json { return try printJSON(report) }
                    let removals = report.removed.isEmpty ? "" : " and \(report.removed.count) removal(s)"
                    print(
                        "Pushed \(report.written.count) key\(report.written.count == 1 ? "" : "s")\(removals) to \(login.url); "
                            + Vault.describe(report.routing)
                    )
                    for label in report.conflicts {
                        print("Conflict: \(TerminalText.printable(label)) changed in the vault since; pull to see it.")
                    }
                }
            }
        }

        struct Pull: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Bring the vault account's changes into this wallet (new keys, removals; conflicts reported)."
            )
            @Flag(help: "Everything, not only what changed since the last pull.") var all = false
            @Flag(help: "Take the vault's routing even if this wallet's changed since the last sync.")
            var forceRouting = false
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let (login, _) = try VaultLoginRecord.saved(in: options.home)
                    let report = try await withWallet(options, unlock: true, changes: true) { wallet in
                        try await wallet.pullFromVault(all: all, forceRouting: forceRouting)
                    }
                    if json { return try printJSON(report) }
                    print(
                        "Pulled from \(login.url): \(report.written.count) added, \(report.removed.count) removed; "
                            + Vault.describe(report.routing)
                    )
                    for label in report.conflicts {
                        print(
                            "Conflict: \(TerminalText.printable(label)) differs in the vault; this wallet's version was kept."
                        )
                    }
                    for reason in report.skipped { print("Skipped \(TerminalText.printable(reason))") }
                }
            }
        }

        struct Apps: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "List the app sessions made through the vault account (connectViaVault)."
            )
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let (login, client) = try VaultLoginRecord.saved(in: options.home)
                    let apps = try await client.appSessions(token: SecretString(login.token))
                    if json { return try printJSON(apps) }
                    guard !apps.isEmpty else { return print("No app sessions on \(login.url).") }
                    for app in apps {
                        let origin = app.appOrigin.map { " (\(TerminalText.printable($0)))" } ?? " (program)"
                        print(
                            "\(app.id)  \(TerminalText.printable(app.appName))\(origin)  "
                                + "\(app.providers.joined(separator: ", "))  until \(formatTime(app.expiresAt))"
                        )
                    }
                }
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "End an app session made through the vault account (its key stops working at once)."
            )
            @Argument(help: "The session's id, from `byoky vault apps`.") var id: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let (login, client) = try VaultLoginRecord.saved(in: options.home)
                    try await client.endAppSession(id: id, token: SecretString(login.token))
                    print("Ended app session \(TerminalText.printable(id)) on \(login.url).")
                }
            }
        }

        struct Logout: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "End this wallet's vault login.")
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    _ = try VaultLoginRecord.saved(in: options.home)  // says what to run when there is none
                    // Ended at the vault when it answers; forgotten here either way.
                    if let login = await VaultLoginRecord.leave(in: options.home) {
                        print("Logged out of \(login.url).")
                    }
                }
            }
        }
    }
}
