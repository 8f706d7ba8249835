import ByokyCore
import Hummingbird

/// `/routing`: the owner's groups, assignments and caps, synced by `byoky vault push|pull`.
struct RoutingRoutes: Sendable {
    let sync: VaultRoutingSync
    let configuration: VaultConfiguration

    func register(on router: Router<VaultContext>) {
        router.get("/routing") { request, _ in
            await VaultAnswer.json { try await sync.routing(token: VaultAnswer.bearer(request)) }
        }
        router.put("/routing") { request, _ in
            await VaultAnswer.json {
                let token = VaultAnswer.bearer(request)
                // Routing is bigger than a key: up to 200 groups and 4,000 rows.
                let write: VaultRoutingWrite = try await VaultAnswer.decode(request, limit: 1024 * 1024)
                return try await sync.write(write, token: token)
            }
        }
    }
}
