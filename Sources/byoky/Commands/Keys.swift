import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet
import Foundation
import NIOHTTP1

extension ByokyCommand {
    /// `byoky key …`: the owner's provider keys.
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list, rename and remove provider keys.",
            subcommands: [Add.self, List.self, Rename.self, Remove.self]
        )

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Store a provider key (read from standard input or a hidden prompt, never the command line).",
                discussion: """
                    Examples:
                      byoky key add anthropic
                      printf '%s' "$KEY" | byoky key add openai --label work \\
                        --password-file ~/.byoky-pass
                      byoky key add ollama --base-url http://127.0.0.1:11434

                    While `byoky serve` runs unlocked, the key goes to it over the owner-only control socket \
                    and no master password is asked.
                    """
            )

            @Argument(help: "Provider id (see `byoky providers`).")
            var provider: String

            @Option(help: "A unique name for this key (default: the provider's name).")
            var label: String?

            @Option(
                name: .customLong("base-url"),
                help: "The provider's address (needed for azure_openai, ollama, lm_studio)."
            )
            var baseURL: String?

            @OptionGroup var options: WalletOptions

            struct Body: Encodable {
                let provider: String
                let secret: String
                let label: String?
                let baseURL: String?
            }

            func run() async throws {
                try await reportingErrors {
                    // Refused before anything is asked for: nobody types a key (or the master
                    // password) for one that cannot be added.
                    let target = try Wallet.credentialTarget(provider: ProviderID(provider), baseURL: baseURL)
                    let prompt =
                        target.provider.isLocal ? "API key (press Enter for none): " : "API key for \(provider): "
                    if let daemon = await ControlClient.unlockedDaemon(home: options.home) {
                        if let label {
                            let stored = try await daemon.send(.GET, "/keys", as: [CredentialSummary].self)
                            try Wallet.checkNewKeyLabel(label, against: stored.map(\.label))
                        }
                        let secret = try SecretInput.secret(prompt: prompt)
                        let body = Body(provider: provider, secret: secret.exposedValue, label: label, baseURL: baseURL)
                        let item = try await daemon.send(
                            .POST,
                            "/keys",
                            body: Array(try JSONEncoder().encode(body)),
                            as: List.Item.self
                        )
                        return print("Added \"\(item.label)\" (\(item.provider), \(item.masked)).")
                    }
                    try await withWallet(options, unlock: true, changes: true) { wallet in
                        if let label {
                            try Wallet.checkNewKeyLabel(label, against: try await wallet.credentials().map(\.label))
                        }
                        let secret = try SecretInput.secret(prompt: prompt)
                        let record = try await wallet.addCredential(
                            provider: ProviderID(provider),
                            secret: secret,
                            label: label,
                            baseURL: baseURL
                        )
                        print("Added \"\(record.label)\" (\(record.provider), \(record.maskedSecret)).")
                    }
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List stored keys, masked.")

            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            typealias Item = CredentialSummary

            func run() async throws {
                try await reportingErrors {
                    if let daemon = await ControlClient.unlockedDaemon(home: options.home) {
                        return try show(try await daemon.send(.GET, "/keys", as: [Item].self))
                    }
                    let records = try await withWallet(options) { try await $0.credentials() }
                    try show(records.map(CredentialSummary.init))
                }
            }

            func show(_ items: [Item]) throws {
                // The base URL column only when a key has one (as before, for scripts).
                let hasBaseURL = items.contains { $0.baseURL != nil }
                try printListing(
                    items,
                    json: json,
                    empty: "No keys yet. Add one with `byoky key add <provider>`.",
                    headers: ["key", "provider", "masked"] + (hasBaseURL ? ["base url"] : [])
                ) { [$0.label, $0.provider, $0.masked] + ($0.baseURL.map { [$0] } ?? []) }
            }
        }

        struct Rename: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Rename a key.")
            @Argument(help: "The key's label or id.") var key: String
            @Argument(help: "The new label.") var label: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    if let daemon = await ControlClient.unlockedDaemon(home: options.home) {
                        _ = try await daemon.send(
                            .POST,
                            "/keys/\(ControlClient.pathComponent(key))/rename",
                            body: Array(try JSONEncoder().encode(["label": label])),
                            as: [List.Item].self
                        )
                    } else {
                        try await withWallet(options, changes: true) { try await $0.renameCredential(key, to: label) }
                    }
                    print("Renamed \"\(key)\" to \"\(label)\".")
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Delete a key from the wallet.")
            @Argument(help: "The key's label or id.") var key: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    if let daemon = await ControlClient.unlockedDaemon(home: options.home) {
                        _ = try await daemon.send(
                            .DELETE,
                            "/keys/\(ControlClient.pathComponent(key))",
                            as: [List.Item].self
                        )
                    } else {
                        try await withWallet(options, changes: true) { try await $0.removeCredential(key) }
                    }
                    print("Removed \"\(key)\".")
                }
            }
        }
    }
}
