import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet

extension ByokyCommand {
    /// `byoky group …`: route apps to the provider, key and model you choose.
    struct Group: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Route apps to a provider, key and model of your choice, whatever they ask for.",
            discussion: """
                Example: send an app built for OpenAI to Groq instead (same API family, no translation):
                  byoky group add fast --provider groq --model llama-3.3-70b-versatile
                  byoky group assign my-app fast
                Or answer an app built for OpenAI with Claude (another API family: requests, answers and
                streams are translated, and the app still sees OpenAI's format):
                  byoky group add claude --provider anthropic --model claude-sonnet-4-6
                  byoky group assign my-app claude
                Changes apply to the app's next request. Only chat requests can cross families; other
                endpoints (embeddings, model lists) get a clear error in the app's own format.
                """,
            subcommands: [Add.self, List.self, Assign.self, Unassign.self, Remove.self]
        )

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a group.")
            @Argument(help: "The group's name.") var name: String
            @Option(help: "The provider its apps are served by.") var provider: String
            @Option(help: "The model to use.") var model: String?
            @Option(help: "Pin one of your keys (label or id).") var key: String?
            @Option(help: "Pin a gift you received (its id, see `byoky gift received`) instead of a key.")
            var gift: String?
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let group = try await withWallet(options, changes: true) {
                        try await $0.addGroup(
                            name: name,
                            provider: ProviderID(provider),
                            model: model,
                            key: key,
                            gift: gift
                        )
                    }
                    print("Created group \"\(group.name)\" → \(group.provider)\(group.model.map { " (\($0))" } ?? "").")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List groups and which apps are in them.")
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            struct Item: Encodable {
                let name: String
                let provider: String
                let model: String?
                let pinnedKey: String?
                let apps: [String]
            }

            func run() async throws {
                try await reportingErrors {
                    let items = try await withWallet(options) { wallet in
                        let assignments = try await wallet.store.assignments()
                        let credentials = try await wallet.credentials()
                        return try await wallet.store.groups().map { group in
                            Item(
                                name: group.name,
                                provider: group.provider,
                                model: group.model,
                                pinnedKey: group.credentialID.flatMap { id in credentials.first { $0.id == id }?.label
                                },
                                apps: assignments.filter { $0.group == group.name }.map(\.app)
                            )
                        }
                    }
                    if json { return try printJSON(items) }
                    if items.isEmpty { return print("No groups. Create one with `byoky group add`.") }
                    for item in items {
                        let apps = item.apps.isEmpty ? "no apps" : item.apps.joined(separator: ", ")
                        print("\(item.name)\t\(item.provider)\t\(item.model ?? "-")\t\(item.pinnedKey ?? "-")\t\(apps)")
                    }
                }
            }
        }

        struct Assign: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Route an app through a group.")
            @Argument(help: "The app's name (see `byoky sessions`).") var app: String
            @Argument(help: "The group.") var group: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    try await withWallet(options, changes: true) { try await $0.assign(app: app, toGroup: group) }
                    print("\(app) now goes through \"\(group)\".")
                }
            }
        }

        struct Unassign: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Send an app straight to what it asks for again.")
            @Argument(help: "The app's name.") var app: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let had = try await withWallet(options, changes: true) { try await $0.unassign(app: app) }
                    print(had ? "\(app) is no longer in a group." : "\(app) was not in a group.")
                }
            }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Delete a group (its apps go back to direct routing)."
            )
            @Argument(help: "The group.") var name: String
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    try await withWallet(options, changes: true) { try await $0.removeGroup(name) }
                    print("Removed group \"\(name)\".")
                }
            }
        }
    }
}
