import ByokyCore
import ByokyStore
import ByokyWallet
import Hummingbird

/// Installed apps over the control socket: `byoky apps …` changes them through a running daemon,
/// so a disabled app's requests stop at once.
extension ControlRoutes {
    func addAppRoutes(to router: Router<BasicRequestContext>) {
        router.get("/apps") { _, _ in
            await Self.answer { try await wallet.installedApps() }
        }
        router.post("/apps") { request, _ in
            await Self.answer { try await wallet.install(Self.decode(AppInstallRequest.self, from: request)) }
        }
        router.post("/apps/{slug}/enable") { _, context in
            await Self.answer { try await wallet.setInstalledApp(Self.segment(context, "slug"), enabled: true) }
        }
        router.post("/apps/{slug}/disable") { _, context in
            await Self.answer { try await wallet.setInstalledApp(Self.segment(context, "slug"), enabled: false) }
        }
        router.delete("/apps/{slug}") { _, context in
            await Self.answer { RevokedCount(revoked: try await wallet.uninstallApp(Self.segment(context, "slug"))) }
        }
    }
}
