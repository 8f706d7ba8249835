import ByokyCore
import ByokyStore
import ByokyWallet
import Hummingbird
import NIOCore

/// Gift operations that need the unlocked wallet, over the control socket: a running daemon
/// makes and redeems gifts without the master password being asked again.
extension ControlRoutes {
    struct RedeemGiftBody: Decodable {
        let link: String
    }

    func addGiftRoutes(to router: Router<BasicRequestContext>) {
        router.post("/gifts") { request, _ in
            await Self.answer {
                let body = try await request.body.collect(upTo: WalletAPI.maximumBodySize)
                let create = try WalletAPI.decode(GiftCreationRequest.self, from: Array(body.readableBytesView))
                let (gift, link) = try await wallet.createGift(
                    key: create.key,
                    budget: create.budget,
                    lifetime: create.lifetime,
                    relayURL: create.relayURL,
                    label: create.label
                )
                await onChange()
                return GiftSummary(gift, now: wallet.now(), link: link.url())
            }
        }
        router.get("/gifts/{id}/link") { _, context in
            await Self.answer {
                let gift = try await wallet.gift(Self.segment(context, "id"))
                return GiftSummary(gift, now: wallet.now(), link: try wallet.link(for: gift).url())
            }
        }
        router.post("/gifts/redeem") { request, _ in
            await Self.answer {
                let body = try await request.body.collect(upTo: WalletAPI.maximumBodySize)
                let redeem = try WalletAPI.decode(RedeemGiftBody.self, from: Array(body.readableBytesView))
                return ReceivedGiftSummary(try await wallet.redeemGift(link: redeem.link), now: wallet.now())
            }
        }
    }
}
