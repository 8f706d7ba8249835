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
                Example: send an app built for OpenAI to Groq instead (same API family, no
                translation):
                  byoky group add fast --provider groq --model llama-3.3-70b-versatile
                  byoky group assign my-app fast
                Or answer an app built for OpenAI with Claude (another API family: requests,
                answers and streams are translated, and the app still sees OpenAI's format):
                  byoky group add claude --provider anthropic --model claude-sonnet-4-6
                  byoky group assign my-app claude
                Changes apply to the app's next request. Only chat requests can cross
                families; other endpoints (embeddings, model lists) get a clear error in the
                app's own format.
                """,
            subcommands: [Add.self, List.self, Assign.self, Unassign.self, Remove.self]
        )

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create a group.")
            @Argument(help: "The group's name.") var name: String
            @Option(help: "The provider its apps are served by.") var provider: String
            @Option(
                help: """
                    The model to use for its apps' chats, completions and token counts (their \
                    embeddings, image and audio requests keep their own).
                    """
            ) var model: String?
            @Option(help: "Pin one of your keys (label or id).") var key: String?
            @Option(help: "Pin a gift you received (its id, see `byoky gift received`) instead of a key.")
            var gift: String?
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let request = GroupCreationRequest(
                        name: name,
                        provider: provider,
                        model: model,
                        key: key,
                        gift: gift
                    )
                    let group = try await throughDaemon(options, { try .post("/groups", request) }, changes: true) {
                        try await $0.addGroup(request)
                    }
                    print("Created group \"\(group.name)\" → \(group.provider)\(group.model.map { " (\($0))" } ?? "").")
                }
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List groups and which apps are in them.")
            @Flag(help: "Print JSON.") var json = false
            @OptionGroup var options: WalletOptions

            func run() async throws {
                try await reportingErrors {
                    let items = try await throughDaemon(options, { .get("/groups") }) {
                        try await $0.groupSummaries()
                    }
                    try printListing(
                        items,
                        json: json,
                        empty: "No groups. Create one with `byoky group add`.",
                        headers: ["group", "provider", "model", "key", "apps"]
                    ) { item in
                        let apps = item.apps.isEmpty ? "no apps" : item.apps.joined(separator: ", ")
                        let pin = item.pinnedKey ?? item.pinnedGift.map { "gift \($0.prefix(8))" } ?? "-"
                        return [item.name, item.provider, item.model ?? "-", pin, apps]
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
                    _ = try await throughDaemon(
                        options,
                        { try .put("/assignments/\(ControlClient.pathComponent(app))", ["group": group]) },
                        changes: true
                    ) { wallet in
                        try await wallet.assign(app: app, toGroup: group)
                        return Changed(changed: true)
                    }
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
                    let had = try await throughDaemon(
                        options,
                        { .delete("/assignments/\(ControlClient.pathComponent(app))") },
                        changes: true
                    ) { Changed(changed: try await $0.unassign(app: app)) }.changed
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
                    _ = try await throughDaemon(
                        options,
                        { .delete("/groups/\(ControlClient.pathComponent(name))") },
                        changes: true
                    ) { wallet in
                        try await wallet.removeGroup(name)
                        return try await wallet.groupSummaries()
                    }
                    print("Removed group \"\(name)\".")
                }
            }
        }
    }
}
