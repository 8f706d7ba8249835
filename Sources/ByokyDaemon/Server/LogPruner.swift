import ByokyWallet
import ServiceLifecycle

/// Applies the audit log's retention setting while the daemon runs: once at start, then every
/// few hours, so the wallet's database stays bounded however many requests it serves.
struct LogPruner: Service {
    let wallet: Wallet
    let interval: Duration

    init(wallet: Wallet, interval: Duration = .seconds(6 * 3600)) {
        self.wallet = wallet
        self.interval = interval
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // A failed prune (a busy database, a full disk) is tried again next time.
            _ = try? await wallet.applyLogRetention()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
