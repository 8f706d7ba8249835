import ByokyRelayHost
import ServiceLifecycle

/// Keeps the vault's gift rooms in step with its database while the server runs: reads the served
/// gifts every `interval` (other instances' uploads, ended gifts) and forgets gifts long ended;
/// on shutdown it leaves every room.
struct GiftHostingService: Service {
    let host: GiftHost
    let source: VaultGiftSource
    let interval: Duration

    func run() async throws {
        let (host, source, interval) = (self.host, self.source, self.interval)
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await source.forgetEndedGifts()
                await host.reconcile()
                try await Task.sleep(for: interval)
            }
        }
        host.stop()
    }
}
