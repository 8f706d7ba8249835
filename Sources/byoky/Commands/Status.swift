import ArgumentParser
import ByokyCore
import ByokyStore
import ByokyWallet
import Foundation

extension ByokyCommand {
    /// `byoky status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show where the wallet is and what it holds.")
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: WalletOptions

        struct Report: Encodable {
            let home: String
            let initialized: Bool
            let keys: Int
            let activeSessions: Int
        }

        func run() async throws {
            try await reportingErrors {
                let wallet = try await Wallet.open(home: options.home)
                let report: Report
                do {
                    report = Report(
                        home: options.home.path,
                        initialized: try await wallet.isInitialized(),
                        keys: try await wallet.credentials().count,
                        activeSessions: try await wallet.store.sessions().filter { $0.revokedAt == nil }.count
                    )
                    try await wallet.close()
                } catch {
                    try? await wallet.close()
                    throw error
                }
                if json { return try printJSON(report) }
                print("Wallet: \(report.home)\(report.initialized ? "" : " (not set up — run `byoky init`)")")
                print("Keys: \(report.keys)   Active sessions: \(report.activeSessions)")
            }
        }
    }
}
