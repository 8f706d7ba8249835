import ArgumentParser
import ByokyCore

/// The `byoky` command: the wallet owner's tool.
@main
struct ByokyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "byoky",
        abstract: "Keep your AI provider keys in one encrypted wallet; let apps use them without seeing them.",
        discussion: """
            Apps and CLI tools get a session, never a key. They send ordinary provider requests
            through the wallet, which checks the session and your limits, injects the key, and
            records usage. Start with `byoky demo` to see it work on a built-in mock provider.
            """,
        version: ByokyVersion.current,
        subcommands: [Demo.self, Providers.self, PasswordCheck.self]
    )
}
