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
    let configuration: MarketplaceConfiguration
    let metrics: MarketplaceMetrics
    let listings: RateLimiter
    let redeems: RateLimiter
    let heartbeats: RateLimiter

    init(store: MarketplaceStore, configuration: MarketplaceConfiguration, metrics: MarketplaceMetrics) {
        self.store = store
        self.configuration = configuration
        self.metrics = metrics
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
        router.get("/gifts") { request, _ in await answer("list") { try await list(request) } }
        router.post("/gifts") { request, context in
            await answer("create") {
                try limit(listings, request, context)
                let body: ListingRequest = try await decode(request)
                let token = SecureRandom.base64URLToken(byteCount: 32)
                let gift = try body.gift(now: configuration.clock(), managementTokenHash: Self.hash(token))
                guard try await store.insert(gift) else {
                    throw MarketplaceError.conflict("This gift is listed already")
                }
                return (201, Listed(id: gift.id, managementToken: token))
            }
        }
        router.get("/gifts/{id}/redeem") { request, context in
            await answer("redeem") {
                try limit(redeems, request, context)
                return (200, Redemption(giftLink: try await redeemable(context).giftLink))
            }
        }
        router.delete("/gifts/{id}") { request, context in
            await answer("unlist") {
                let gift = try await authorized(request, context)
                try await store.unlist(gift.id)
                return (200, Done())
            }
        }
        router.patch("/gifts/{id}/usage") { request, context in
            await answer("usage") {
                let gift = try await authorized(request, context)
                let usage: Usage = try await decode(request)
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
            await answer("heartbeat") {
                try limit(heartbeats, request, context)
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
        let query = request.uri.queryParameters
        let limit =
            try query.get("limit").map { text throws(MarketplaceError) in
                guard let value = Int(text), (1...200).contains(value) else { throw .invalid("limit must be 1 to 200") }
                return value
            } ?? 100
        let offset =
            try query.get("offset").map { text throws(MarketplaceError) in
                guard let value = Int(text), value >= 0, value <= 1_000_000 else {
                    throw .invalid("offset must be 0 or more")
                }
                return value
            } ?? 0
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

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private func find(_ context: MarketplaceContext) async throws -> ListedGift {
        let id = context.parameters.get("id") ?? ""
        guard id.utf8.count <= 128, let gift = try await store.gift(id) else { throw MarketplaceError.notFound }
        return gift
    }

    /// The gift, when the request carries its management token.
    private func authorized(_ request: Request, _ context: MarketplaceContext) async throws -> ListedGift {
        let gift = try await find(context)
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            ConstantTime.equals(Self.hash(String(header.dropFirst(7))), gift.managementTokenHash)
        else { throw MarketplaceError.unauthorized }
        return gift
    }

    func limit(_ limiter: RateLimiter, _ request: Request, _ context: MarketplaceContext) throws {
        if let wait = limiter.admit(client(request, context), now: configuration.clock()) {
            throw MarketplaceError.tooManyRequests(retryAfter: wait)
        }
    }

    /// The client's address: the connection's peer, or the proxy's `X-Forwarded-For` when trusted.
    func client(_ request: Request, _ context: MarketplaceContext) -> String {
        if configuration.trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last
        {
            return last.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }

    private func decode<Body: Decodable>(_ request: Request) async throws -> Body {
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: configuration.maximumBodySize)
        } catch {
            throw MarketplaceError.tooLarge(configuration.maximumBodySize)
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            throw MarketplaceError.invalid("The body is not the JSON this endpoint takes")
        }
    }

    /// Runs `body`, answering its value as JSON or its error in the board's error shape.
    private func answer(_ route: String, _ body: () async throws -> (Int, some Encodable)) async -> Response {
        var status = 500
        var json = Data()
        do {
            let (code, value) = try await body()
            json = try JSONEncoder().encode(value)
            status = code
        } catch {
            let refusal =
                error as? MarketplaceError
                ?? (error is DatabaseUnavailable
                    ? .unavailable : MarketplaceError(status: 500, code: "INTERNAL_ERROR", message: "Internal error"))
            status = refusal.status
            json = (try? JSONEncoder().encode(["error": refusal.message, "code": refusal.code])) ?? Data()
        }
        metrics.count(route: route, status: status)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: json))
        )
    }
}
