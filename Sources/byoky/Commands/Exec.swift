import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet
import Foundation

extension ByokyCommand {
    /// `byoky exec -- <command>`: runs a tool on wallet keys without giving it a key.
    struct Exec: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Run a command with a fresh session pointed at the running bridge; revoke it when the command ends.",
            discussion: """
                Sets ANTHROPIC_BASE_URL/ANTHROPIC_API_KEY, OPENAI_BASE_URL/OPENAI_API_KEY,
                GEMINI_API_KEY, GOOGLE_GEMINI_BASE_URL, CO_API_KEY/CO_API_URL,
                BYOKY_BRIDGE_URL and BYOKY_SESSION_KEY for the command. The values are a
                session key and the bridge, never your provider keys. Example: byoky exec
                --app my-script -- python3 chat.py
                """
        )

        @Option(help: "The app name shown in logs.") var app = "exec"
        @Option(help: "Providers to grant, comma-separated (default: every provider you have a key for).")
        var providers: String?
        @Option(help: "The bridge address (default: the running wallet's, else http://127.0.0.1:19280).")
        var bridge: String?
        @Option(help: "Session lifetime in minutes.") var minutes = 24 * 60
        @OptionGroup var options: WalletOptions
        @Argument(parsing: .captureForPassthrough, help: "The command to run, after --.") var command: [String] = []

        func validate() throws {
            // The command's arguments are passed through untouched, so `--help` would be taken for
            // the command to run; before any `--` it asks for this help, as everywhere else.
            if let first = command.first, first == "--help" || first == "-h" { throw CleanExit.helpRequest(self) }
            // The command gets the bridge's address in its provider URLs: one it cannot use would
            // fail there, far from here.
            if let bridge {
                guard let address = AbsoluteURL(bridge), ["http", "https"].contains(address.scheme),
                    address.query == nil
                else {
                    throw ValidationError("--bridge takes the bridge's address, e.g. http://127.0.0.1:19280")
                }
            }
            let longest = Int(Wallet.maximumSessionLifetime / 60_000)
            guard (1...longest).contains(minutes) else {
                throw ValidationError("--minutes takes 1 to \(longest) (a year)")
            }
            guard !command.filter({ $0 != "--" }).isEmpty else {
                throw ValidationError("Name a command to run after --, e.g. `byoky exec -- python3 chat.py`")
            }
        }

        func run() async throws {
            let arguments = Array(command.drop { $0 == "--" })
            let granted = (providers ?? "").split(separator: ",").map { ProviderID(String($0)) }
            let grant = try await reportingErrors {
                try await withWallet(options) { wallet in
                    try await wallet.createSession(
                        app: AppIdentity(name: app),
                        providers: granted,
                        lifetime: Int64(minutes) * 60_000
                    )
                }
            }
            var environment = ProcessInfo.processInfo.environment
            let key = grant.key.exposedValue
            let bridge = await bridgeAddress()
            let base = bridge.hasSuffix("/") ? String(bridge.dropLast()) : bridge
            environment["BYOKY_BRIDGE_URL"] = base
            environment["BYOKY_SESSION_KEY"] = key
            environment["ANTHROPIC_BASE_URL"] = base + "/anthropic"
            environment["ANTHROPIC_API_KEY"] = key
            environment["OPENAI_BASE_URL"] = base + "/openai/v1"
            environment["OPENAI_API_KEY"] = key
            environment["GEMINI_API_KEY"] = key
            environment["GOOGLE_API_KEY"] = key
            environment["GOOGLE_GEMINI_BASE_URL"] = base + "/gemini"
            environment["CO_API_KEY"] = key
            environment["CO_API_URL"] = base + "/cohere"

            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = arguments
            process.environment = environment
            var status: Int32 = 127
            do {
                try process.run()
                process.waitUntilExit()
                status = process.terminationStatus
            } catch {
                FileHandle.standardError.write(Data("Error: cannot run \(arguments[0])\n".utf8))
            }
            try await reportingErrors {
                try await withWallet(options, changes: true) { try await $0.revokeSession(id: grant.record.id) }
            }
            if status != 0 { throw ExitCode(status) }
        }

        /// `--bridge`, else the running wallet's bridge (wherever `byoky serve --port` put it),
        /// else the default one, with a word that nothing serves there yet; a word, too, when the
        /// running wallet is locked (it answers nothing until unlocked).
        private func bridgeAddress() async -> String {
            let running = await ControlClient.runningStatus(home: options.home)
            if running?.unlocked == false {
                FileHandle.standardError.write(
                    Data("Note: the wallet is locked; the command's requests fail until `byoky unlock`.\n".utf8)
                )
            }
            if let bridge { return bridge }
            if let running { return running.bridge }
            let fallback = "http://127.0.0.1:19280"
            FileHandle.standardError.write(
                Data(
                    "Note: no wallet is running; the command's requests to \(fallback) fail until `byoky serve` runs.\n"
                        .utf8
                )
            )
            return fallback
        }
    }
}
