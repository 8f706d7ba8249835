import ByokyCore
import Hummingbird

/// `/gifts…`: the gifts an owner has the vault serve while the giving wallet is offline
/// (`byoky gift vault on|off`, the wallet page's switch).
struct GiftRoutes: Sendable {
    let gifts: VaultGifts
    let configuration: VaultConfiguration

    struct Listing: Encodable { let gifts: [VaultGiftItem] }
    struct Removed: Encodable { let removed: Bool }

    func register(on router: Router<VaultContext>) {
        router.get("/gifts") { request, _ in
            await VaultAnswer.json { Listing(gifts: try await gifts.list(token: VaultAnswer.bearer(request))) }
        }
        router.put("/gifts/{id}") { request, context in
            await VaultAnswer.json {
                let token = VaultAnswer.bearer(request)
                let upload: VaultGiftUpload = try await VaultAnswer.decode(
                    request,
                    limit: configuration.maximumBodySize
                )
                return try await gifts.upload(upload, id: context.parameters.get("id") ?? "", token: token)
            }
        }
        router.delete("/gifts/{id}") { request, context in
            await VaultAnswer.json {
                try await gifts.remove(id: context.parameters.get("id") ?? "", token: VaultAnswer.bearer(request))
                return Removed(removed: true)
            }
        }
    }
}
