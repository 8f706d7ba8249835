import ByokyCore
import Hummingbird

/// `/credentials…`: the keys a wallet syncs (`byoky vault push|pull`).
struct CredentialRoutes: Sendable {
    let keys: VaultKeys
    let configuration: VaultConfiguration

    struct Listing: Encodable { let credentials: [VaultCredentialItem] }

    func register(on router: Router<VaultContext>) {
        router.get("/credentials") { request, _ in
            await VaultAnswer.json { Listing(credentials: try await keys.list(token: VaultAnswer.bearer(request))) }
        }
        router.get("/credentials/sync") { request, _ in
            await VaultAnswer.json {
                let since = request.uri.queryParameters.get("since").map { Int64($0) } ?? 0
                guard let since, since >= 0 else { throw VaultError.invalid("since is a time in Unix ms") }
                return try await keys.sync(since: since, token: VaultAnswer.bearer(request))
            }
        }
        router.put("/credentials/{id}") { request, context in
            await VaultAnswer.json {
                let token = VaultAnswer.bearer(request)
                let upload: VaultCredentialUpload = try await VaultAnswer.decode(
                    request,
                    limit: configuration.maximumBodySize
                )
                return try await keys.upload(upload, id: context.parameters.get("id") ?? "", token: token)
            }
        }
        router.delete("/credentials/{id}") { request, context in
            await VaultAnswer.json {
                guard let time = request.uri.queryParameters.get("updatedAt").flatMap({ Int64($0) }) else {
                    throw VaultError.invalid("Say when it was removed: ?updatedAt=<Unix ms>")
                }
                return try await keys.remove(
                    id: context.parameters.get("id") ?? "",
                    at: time,
                    token: VaultAnswer.bearer(request)
                )
            }
        }
    }
}
