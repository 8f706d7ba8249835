import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet

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
                      printf '%s' "$KEY" | byoky key add openai --label work --password-file ~/.byoky-pass
                      byoky key add ollama --base-url http://127.0.0.1:11434
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

            func run() async throws {
                try await reportingErrors {
                    try await withWallet(options, unlock: true, changes: true) { wallet in
                        let local = ProviderRegistry.provider(ProviderID(provider))?.isLocal == true
                        let secret = try SecretInput.secret(
                            prompt: local ? "API key (press Enter for none): " : "API key for \(provider): "
                        )
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

            struct Item: Encodable {
                let id: String
                let label: String
                let provider: String
                let masked: String
                let baseURL: String?
                let createdAt: Int64
                let lastUsedAt: Int64?
            }

            func run() async throws {
                try await reportingErrors {
                    let records = try await withWallet(options) { try await $0.credentials() }
                    let items = records.map {
                        Item(
                            id: $0.id,
                            label: $0.label,
                            provider: $0.provider,
                            masked: $0.maskedSecret,
                            baseURL: $0.baseURL,
                            createdAt: $0.createdAt,
                            lastUsedAt: $0.lastUsedAt
                        )
                    }
                    if json { return try printJSON(items) }
                    if items.isEmpty { return print("No keys yet. Add one with `byoky key add <provider>`.") }
                    for item in items {
                        print("\(item.label)\t\(item.provider)\t\(item.masked)\(item.baseURL.map { "\t\($0)" } ?? "")")
                    }
                }
            }
        }

        struct Rename: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Rename a key.")
            @Argument(help: "The key's label or id.") var key: String
            @Argument(help: "The new label.") var label: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    try await withWallet(options, changes: true) { try await $0.renameCredential(key, to: label) }
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
                    try await withWallet(options, changes: true) { try await $0.removeCredential(key) }
                    print("Removed \"\(key)\".")
                }
            }
        }
    }
}
