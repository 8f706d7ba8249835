import ArgumentParser
import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyRelayHost
import ByokyWallet
import Foundation

extension ByokyCommand {
    /// `byoky serve`: runs the wallet daemon and its loopback bridge.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Unlock the wallet and serve apps on the local bridge until Ctrl-C.",
            discussion: """
                Apps and tools point their provider base URL at
                http://127.0.0.1:<port>/<provider> (e.g. /anthropic, /openai/v1) and use a
                session key as their API key; `byoky exec` sets that up for a command.
                """
        )

        @Option(help: "Port of the bridge.") var port = 19280
        @Option(help: "Address to listen on (loopback only is safe).") var host = "127.0.0.1"
        @Option(
            help: ArgumentHelp(
                "Lock the wallet after this many minutes without requests (0: never).",
                discussion: "Default: the choice made on the wallet page's Settings, else 20."
            )
        )
        var autoLockMinutes: Int?
        @Option(help: "The marketplace whose app catalogue the wallet page's App Store shows.")
        var marketplace = MarketplaceClient.defaultURL
        @Option(help: .hidden) var marketplaceReportSeconds = 60
        @Flag(help: "Start locked, without asking for the master password: unlock with `byoky open` or `byoky unlock`.")
        var locked = false
        @OptionGroup var options: WalletOptions

        func validate() throws {
            if let problem = PortNumber.problem(with: port) { throw ValidationError(problem) }
            guard ["127.0.0.1", "localhost", "::1"].contains(host) else {
                throw ValidationError("--host must be a loopback address (127.0.0.1, localhost or ::1)")
            }
            if let minutes = autoLockMinutes, !(0...Wallet.maximumAutoLockMinutes).contains(minutes) {
                throw ValidationError("--auto-lock-minutes takes 0 (never) to \(Wallet.maximumAutoLockMinutes)")
            }
        }

        func run() async throws {
            try await reportingErrors {
                // Before the password is asked for: a second daemon would take the first one's
                // control socket, and `byoky lock` could no longer reach the wallet that serves.
                if let running = await ControlClient.runningStatus(home: options.home) {
                    throw ByokyError(
                        .invalidRequest,
                        "This wallet already runs, serving on \(running.bridge) — stop it first (Ctrl-C where it runs, "
                            + "or `byoky service uninstall`), or use another BYOKY_HOME"
                    )
                }
                try await withWallet(options, unlock: !locked) { wallet in
                    let stored = try await wallet.autoLockMinutes()
                    let minutes = autoLockMinutes ?? stored ?? 20
                    let client = ProxyEngine.makeHTTPClient()
                    let configuration = WalletDaemon.Configuration(
                        host: host,
                        port: port,
                        controlSocketPath: options.home.controlSocketPath,
                        autoLockAfter: minutes > 0 ? .seconds(minutes * 60) : nil,
                        onConnectRequest: { approval in
                            let line =
                                "\nConnect request: \(ApprovalFormatter.describe(approval))\n"
                                + "  approve: byoky approve \(approval.id)    deny: byoky deny \(approval.id)\n"
                            FileHandle.standardOutput.write(Data(line.utf8))
                        },
                        onGiftEvent: { event in
                            let line: String
                            switch event {
                            case .online(let id): line = "Gift \(id.prefix(8)) is online (serving through its relay)"
                            case .offline(let id, let reason): line = "Gift \(id.prefix(8)) is offline: \(reason)"
                            case .served(let id, let status, let used):
                                line = "Gift \(id.prefix(8)) → \(status)\(used.map { ", \($0) tokens used" } ?? "")"
                            }
                            FileHandle.standardOutput.write(Data((line + "\n").utf8))
                        }
                    )
                    var daemonConfiguration = configuration
                    daemonConfiguration.marketplaceReportInterval = .seconds(max(1, marketplaceReportSeconds))
                    daemonConfiguration.appCatalogueURL = try MarketplaceClient(marketplace).baseURL
                    let daemon = WalletDaemon(wallet: wallet, httpClient: client, configuration: daemonConfiguration)
                    do {
                        try await daemon.run { bound in
                            // Written unbuffered, so scripts reading a pipe see the address at once.
                            let line =
                                "byoky \(ByokyVersion.current) serving on \(AbsoluteURL.origin(scheme: "http", host: host, port: bound))"
                                + " — Ctrl-C to stop\n"
                                + (locked ? "Locked: unlock with `byoky open` or `byoky unlock`.\n" : "")
                            FileHandle.standardOutput.write(Data(line.utf8))
                            #if os(Linux)
                            // Once startup has settled, give back the code and constants only it used.
                            Task {
                                try? await Task.sleep(for: .seconds(2))
                                StartupPages.release()
                            }
                            #endif
                        }
                    } catch {
                        try? await client.shutdown()
                        throw ByokyError(
                            .internalError,
                            "Cannot serve on \(host):\(port) — is another byoky running? Try --port"
                        )
                    }
                    try await client.shutdown()
                }
            }
        }
    }
}
