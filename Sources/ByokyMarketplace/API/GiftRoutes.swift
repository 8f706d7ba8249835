import ByokyCore
import ByokyServerStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The board's API: list, read, redeem, unlist, report usage, heartbeat.
struct GiftRoutes: Sendable {
    let store: MarketplaceStore
    let exchange: APIExchange
    var configuration: MarketplaceConfiguration { exchange.configuration }
    let listings: RateLimiter
    let redeems: RateLimiter
    let heartbeats: RateLimiter

    init(store: MarketplaceStore, exchange: APIExchange) {
        self.store = store
        self.exchange = exchange
        let configuration = exchange.configuration
        listings = RateLimiter(perMinute: configuration.listingsPerMinute)
        redeems = RateLimiter(perMinute: configuration.redeemsPerMinute)
        heartbeats = RateLimiter(perMinute: configuration.heartbeatsPerMinute)
    }

    struct Usage: Decodable { let tokensUsed: Int }
    struct Listed: Encodable {
        let success = true
        let id: String
        /// Shown once: only its hash is kept.
        let managementToken: String
    }
    struct Done: Encodable { let success = true }
    struct Redemption: Encodable { let giftLink: String }

    func register(on router: Router<MarketplaceContext>) {
        router.get("/gifts") { request, _ in await exchange.answer("list") { try await list(request) } }
        router.post("/gifts") { request, context in
            await exchange.answer("create") {
                try exchange.limit(listings, request, context)
                let body: ListingRequest = try await exchange.decode(request)
                let token = SecureRandom.base64URLToken(byteCount: 32)
                let gift = try body.gift(now: configuration.clock(), managementTokenHash: APIExchange.hash(token))
                guard try await store.insert(gift) else {
                    throw MarketplaceError.conflict("This gift is listed already")
                }
                return (201, Listed(id: gift.id, managementToken: token))
            }
        }
        router.get("/gifts/{id}/redeem") { request, context in
            await exchange.answer("redeem") {
                try exchange.limit(redeems, request, context)
                return (200, Redemption(giftLink: try await redeemable(context).giftLink))
            }
        }
        router.delete("/gifts/{id}") { request, context in
            await exchange.answer("unlist") {
                let gift = try await authorized(request, context)
                try await store.unlist(gift.id)
                return (200, Done())
            }
        }
        router.patch("/gifts/{id}/usage") { request, context in
            await exchange.answer("usage") {
                let gift = try await authorized(request, context)
                let usage: Usage = try await exchange.decode(request)
                guard usage.tokensUsed >= 0, usage.tokensUsed <= gift.tokenBudget else {
                    throw MarketplaceError.invalid("tokensUsed must be 0 to the gift's budget (\(gift.tokenBudget))")
                }
                guard usage.tokensUsed >= gift.tokensUsed else {
                    throw MarketplaceError.conflict("Usage never decreases: \(gift.tokensUsed) tokens are used already")
                }
                guard try await store.raiseUsage(gift.id, to: usage.tokensUsed) else {
                    throw MarketplaceError.conflict("Usage never decreases: more tokens are recorded as used already")
                }
                return (200, Done())
            }
        }
        router.post("/gifts/{id}/heartbeat") { request, context in
            await exchange.answer("heartbeat") {
                try exchange.limit(heartbeats, request, context)
                let gift = try await authorized(request, context)
                guard !gift.unlisted else { throw MarketplaceError.gone("The gift is off the board") }
                try await store.heartbeat(gift.id, at: configuration.clock())
                return (200, Done())
            }
        }
    }

    /// The gift a redemption names, when it can still be redeemed.
    func redeemable(_ context: MarketplaceContext) async throws -> ListedGift {
        let gift = try await find(context)
        let now = configuration.clock()
        guard !gift.unlisted else { throw MarketplaceError.gone("The giver took this gift off the board") }
        guard gift.expiresAt > now else { throw MarketplaceError.gone("Gift expired") }
        guard gift.tokensUsed < gift.tokenBudget else { throw MarketplaceError.gone("Gift used up") }
        return gift
    }

    func list(_ request: Request) async throws -> (Int, BoardListing) {
        let (limit, offset) = try exchange.page(request)
        let query = request.uri.queryParameters
        let provider = try query.get("provider").map { text throws(MarketplaceError) in
            guard ProviderRegistry.provider(ProviderID(text)) != nil else { throw .invalid("Unknown provider \(text)") }
            return text
        }
        let now = configuration.clock()
        let window = configuration.onlineWindow
        let active = try await store.active(now: now, provider: provider, limit: limit, offset: offset)
        let ended = offset == 0 ? try await store.ended(now: now, provider: provider, limit: 50) : []
        return (
            200,
            BoardListing(
                active: active.map { BoardItem($0, now: now, onlineWindow: window) },
                expired: ended.map { BoardItem($0, now: now, onlineWindow: window) },
                limit: limit,
                offset: offset
            )
        )
    }

    // MARK: Helpers

    private func find(_ context: MarketplaceContext) async throws -> ListedGift {
        let id = context.parameters.get("id") ?? ""
        guard id.utf8.count <= 128, let gift = try await store.gift(id) else { throw MarketplaceError.notFound }
        return gift
    }

    /// The gift, when the request carries its management token.
    private func authorized(_ request: Request, _ context: MarketplaceContext) async throws -> ListedGift {
        let gift = try await find(context)
        guard APIExchange.bearer(request, matches: gift.managementTokenHash) else {
            throw MarketplaceError.unauthorized
        }
        return gift
    }

}
