import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet
import Foundation

extension ByokyCommand {
    /// `byoky status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show where the wallet is, what it holds, and whether it runs and where it serves."
        )
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: WalletOptions

        struct Report: Encodable {
            let home: String
            let initialized: Bool
            let keys: Int
            let activeSessions: Int
            /// Whether a wallet (`byoky serve` or the service) runs on this home.
            let running: Bool
            /// Whether the running wallet is unlocked; `nil` when none runs.
            let unlocked: Bool?
            /// The running wallet's bridge, e.g. `http://127.0.0.1:19280`; `nil` when none runs.
            let bridge: String?
            /// Apps waiting for approval; `nil` when none runs.
            let pendingApprovals: Int?
        }

        func run() async throws {
            try await reportingErrors {
                let wallet = try await Wallet.open(home: options.home)
                let daemon = await ControlClient.runningStatus(home: options.home)
                let report: Report
                do {
                    report = Report(
                        home: options.home.path,
                        initialized: try await wallet.isInitialized(),
                        keys: try await wallet.credentials().count,
                        activeSessions: try await wallet.store.sessions().filter { $0.revokedAt == nil }.count,
                        running: daemon != nil,
                        unlocked: daemon?.unlocked,
                        bridge: daemon?.bridge,
                        pendingApprovals: daemon?.pendingApprovals
                    )
                    try await wallet.close()
                } catch {
                    try? await wallet.close()
                    throw error
                }
                if json { return try printJSON(report) }
                print("Wallet: \(report.home)\(report.initialized ? "" : " (not set up — run `byoky init`)")")
                print("Keys: \(report.keys)   Active sessions: \(report.activeSessions)")
                guard report.initialized else { return }
                guard let daemon else { return print("Not running: `byoky serve` starts it.") }
                print("Serving on \(daemon.bridge) (\(daemon.unlocked ? "unlocked" : "locked: `byoky unlock`"))")
                if daemon.pendingApprovals > 0 {
                    print("Waiting for your approval: \(daemon.pendingApprovals) app(s) (`byoky pending`)")
                }
            }
        }
    }
}
