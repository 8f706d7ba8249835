import ArgumentParser
import ByokyCore

/// The `byoky` command: the wallet owner's tool.
struct ByokyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "byoky",
        abstract: "Keep your AI provider keys in one encrypted wallet; let apps use them without seeing them.",
        discussion: """
            Apps and CLI tools get a session, never a key. They send ordinary provider
            requests through the wallet, which checks the session and your limits, injects
            the key, and records usage. Start with `byoky demo` to see it work on a
            built-in mock provider.

            Getting started:
              byoky init                    create the wallet (asks for a master password)
              byoky key add anthropic       store a key (from stdin or a hidden prompt)
              byoky serve                   unlock and serve apps on http://127.0.0.1:19280
              byoky exec -- python3 app.py  run a tool with a session instead of a key

            State lives in $BYOKY_HOME (default ~/.local/share/byoky). Exit codes: 0
            success, 1 an error (one line on stderr says what to do), 64 bad arguments.
            """,
        version: ByokyVersion.current,
        subcommands: [
            Demo.self, Init.self, Key.self, Serve.self, Lock.self, Unlock.self, Passwd.self, Exec.self, Pending.self,
            Approve.self,
            Deny.self, Sessions.self,
            Revoke.self, Group.self, Limit.self, Usage.self, Log.self, Status.self, Export.self, Import.self,
            Providers.self, PasswordCheck.self, Pair.self, Pairings.self, Gift.self, Marketplace.self, App.self,
            Apps.self, Vault.self,
            Open.self,
            Service.self,
        ]
    )
}
