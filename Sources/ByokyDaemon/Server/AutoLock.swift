import ByokyWallet
import ServiceLifecycle
import Synchronization

/// Locks the wallet (forgets the data key) after a stretch without requests.
final class AutoLock: Service, Sendable {
    let wallet: Wallet
    let idleLimit: Duration
    private let lastActivity = Mutex(ContinuousClock.now)

    init(wallet: Wallet, idleLimit: Duration) {
        self.wallet = wallet
        self.idleLimit = idleLimit
    }

    /// Notes that the wallet was just used.
    func touch() {
        lastActivity.withLock { $0 = .now }
    }

    func run() async throws {
        let step = min(Duration.seconds(15), idleLimit / 4)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: step) }
            } catch {
                return
            }
            let idle = ContinuousClock.now - lastActivity.withLock { $0 }
            if idle >= idleLimit && wallet.isUnlocked { wallet.lock() }
        }
    }
}
