import ByokyCore
import ByokyStore
import ByokyWallet
import Hummingbird
import NIOCore

/// Gifts over the control socket: a running daemon makes and redeems gifts without the master
/// password being asked again, and revoking one stops its relay room at once.
extension ControlRoutes {
    struct RedeemGiftBody: Decodable {
        let link: String
    }

    func addGiftRoutes(to router: Router<BasicRequestContext>) {
        router.get("/gifts") { _, _ in
            await Self.answer { try await wallet.giftSummaries(online: onlineGifts()) }
        }
        router.delete("/gifts/{id}") { _, context in
            await Self.answer {
                let gift = try await wallet.revokeGift(Self.segment(context, "id"))
                await onChange()
                return GiftSummary(gift, now: wallet.now())
            }
        }
        router.get("/gifts/received") { _, _ in
            await Self.answer { try await wallet.receivedGiftSummaries() }
        }
        router.delete("/gifts/received/{id}") { _, context in
            await Self.answer {
                ReceivedGiftSummary(try await wallet.removeReceivedGift(Self.segment(context, "id")), now: wallet.now())
            }
        }
        router.post("/gifts") { request, _ in
            await Self.answer {
                let create = try await Self.decode(GiftCreationRequest.self, from: request)
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
        router.post("/gifts/{id}/list") { request, context in
            await Self.answer {
                let listing = try await Self.decode(GiftListingRequest.self, from: request)
                let record = try await wallet.listGift(
                    Self.segment(context, "id"),
                    on: listing.marketplace,
                    name: listing.name,
                    anonymous: listing.anonymous
                )
                await onChange()
                return GiftSummary(try await wallet.gift(record.giftID), now: wallet.now())
            }
        }
        router.post("/gifts/redeem") { request, _ in
            await Self.answer {
                let redeem = try await Self.decode(RedeemGiftBody.self, from: request)
                return ReceivedGiftSummary(try await wallet.redeemGift(link: redeem.link), now: wallet.now())
            }
        }
    }
}
