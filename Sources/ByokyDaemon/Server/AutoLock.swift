import ByokyWallet
import ServiceLifecycle
import Synchronization

/// Locks the wallet (forgets the data key) after a stretch without requests; the stretch can be
/// changed while the wallet runs (from its page), and `nil` turns locking off.
final class AutoLock: Service, Sendable {
    let wallet: Wallet
    private let limit: Mutex<Duration?>
    private let lastActivity = Mutex(ContinuousClock.now)

    init(wallet: Wallet, idleLimit: Duration?) {
        self.wallet = wallet
        limit = Mutex(idleLimit)
    }

    /// How long the wallet may go without requests before it locks (`nil`: never).
    var idleLimit: Duration? {
        get { limit.withLock { $0 } }
        set { limit.withLock { $0 = newValue } }
    }

    /// Notes that the wallet was just used.
    func touch() {
        lastActivity.withLock { $0 = .now }
    }

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // Looked at again each round, so a changed limit applies within one step.
            let current = idleLimit
            let step = current.map { min(Duration.seconds(15), $0 / 4) } ?? .seconds(15)
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: step) }
            } catch {
                return
            }
            guard let current = idleLimit else { continue }
            let idle = ContinuousClock.now - lastActivity.withLock { $0 }
            if idle >= current && wallet.isUnlocked { wallet.lock() }
        }
    }
}
