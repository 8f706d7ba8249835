import ByokyCore
import Hummingbird

/// `/connect` (an app asks for a session under the owner's login) and `/apps` (the owner lists and
/// ends app sessions).
struct AppSessionRoutes: Sendable {
    let sessions: VaultAppSessions
    let configuration: VaultConfiguration

    struct Listing: Encodable { let apps: [VaultAppSessionItem] }
    struct Ended: Encodable { let ok = true }

    func register(on router: Router<VaultContext>) {
        router.post("/connect") { request, _ in
            await VaultAnswer.json(status: .created) {
                let token = VaultAnswer.bearer(request)
                let asked: VaultConnectRequest = try await VaultAnswer.decode(
                    request,
                    limit: configuration.maximumBodySize
                )
                return try await sessions.connect(asked, originHeader: request.headers[.origin], token: token)
            }
        }
        router.get("/apps") { request, _ in
            await VaultAnswer.json { Listing(apps: try await sessions.list(token: VaultAnswer.bearer(request))) }
        }
        router.delete("/apps/{id}") { request, context in
            await VaultAnswer.json {
                try await sessions.revoke(id: context.parameters.get("id") ?? "", token: VaultAnswer.bearer(request))
                return Ended()
            }
        }
    }
}
