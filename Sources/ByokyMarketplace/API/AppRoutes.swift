import ByokyCore
import Foundation
import Hummingbird
import NIOCore

/// The app catalogue's API: submissions, the public catalogue, and review under the admin token.
struct AppRoutes: Sendable {
    let store: MarketplaceStore
    let exchange: APIExchange
    let submissions: RateLimiter
    var configuration: MarketplaceConfiguration { exchange.configuration }

    init(store: MarketplaceStore, exchange: APIExchange) {
        self.store = store
        self.exchange = exchange
        submissions = RateLimiter(perMinute: exchange.configuration.submissionsPerMinute)
    }

    struct Decision: Decodable { let reason: String? }

    /// Which states each review decision may start from.
    static let transitions: [String: (to: AppReviewState, from: Set<AppReviewState>, needsReason: Bool)] = [
        "approve": (.approved, [.pending, .suspended], false),
        "reject": (.rejected, [.pending], true),
        "suspend": (.suspended, [.approved], true),
    ]

    func register(on router: Router<MarketplaceContext>) {
        router.post("/apps") { request, context in
            await exchange.answer("app_submit") { try await submit(request, context) }
        }
        router.get("/apps") { request, _ in
            await exchange.answer("app_list") { (200, try await catalogue(request)) }
        }
        router.get("/apps/{slug}") { _, context in
            await exchange.answer("app_read") {
                let slug = context.parameters.get("slug") ?? ""
                guard slug.utf8.count <= 64, let app = try await store.app(slug: slug),
                    app.reviewState == .approved, let card = CatalogueApp(app)
                else { throw MarketplaceError(status: 404, code: "NOT_FOUND", message: "No such app in the catalogue") }
                return (200, card)
            }
        }
        router.get("/apps/submissions/{id}") { _, context in
            await exchange.answer("app_submission") {
                let app = try await submission(context)
                return (200, AppSubmission(id: app.id, slug: app.slug, state: app.reviewState, reason: app.reason))
            }
        }
        router.get("/admin/apps") { request, _ in
            await exchange.answer("app_review_list") {
                try authorizeReviewer(request)
                let state = try request.uri.queryParameters.get("state").map { text throws(MarketplaceError) in
                    guard let state = AppReviewState(rawValue: text) else {
                        throw .invalid(
                            "state must be one of \(AppReviewState.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    return state
                }
                let apps = try await store.submissions(in: state, limit: 500)
                return (
                    200,
                    apps.compactMap { app in
                        app.manifest.map {
                            ReviewedApp(
                                id: app.id,
                                state: app.reviewState,
                                reason: app.reason,
                                manifest: $0,
                                submittedAt: app.submittedAt,
                                updatedAt: app.updatedAt
                            )
                        }
                    }
                )
            }
        }
        router.post("/admin/apps/{id}/{decision}") { request, context in
            await exchange.answer("app_review") {
                try authorizeReviewer(request)
                guard let transition = Self.transitions[context.parameters.get("decision") ?? ""] else {
                    throw MarketplaceError.invalid("The decision must be approve, reject or suspend")
                }
                let app = try await submission(context)
                let decision: Decision = try await exchange.decode(request)
                let reason = decision.reason?.trimmingCharacters(in: .whitespacesAndNewlines)
                if transition.needsReason {
                    guard let reason, (1...500).contains(reason.count) else {
                        throw MarketplaceError.invalid("Give a reason (1 to 500 characters) the submitter will read")
                    }
                }
                let allowed = transition.from.map(\.rawValue).sorted().joined(separator: " or ")
                guard
                    try await store.review(
                        id: app.id,
                        to: transition.to,
                        from: transition.from,
                        reason: transition.needsReason ? reason : nil,
                        now: configuration.clock()
                    )
                else {
                    throw MarketplaceError.conflict(
                        "The app is \(app.state); only a \(allowed) app can be \(transition.to.rawValue)"
                    )
                }
                let now = try await submission(context)
                return (200, AppSubmission(id: now.id, slug: now.slug, state: now.reviewState, reason: now.reason))
            }
        }
    }

    private func submit(_ request: Request, _ context: MarketplaceContext) async throws -> (Int, AppSubmission) {
        try exchange.limit(submissions, request, context)
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: AppManifest.maximumSize)
        } catch {
            throw MarketplaceError.tooLarge(AppManifest.maximumSize)
        }
        let policy = AppManifest.Policy(allowsLoopbackApps: configuration.allowsLoopbackApps)
        let manifest: AppManifest
        do {
            manifest = try AppManifest.read(bytes.readableBytesView, policy: policy)
        } catch {
            throw MarketplaceError.invalidManifest(error.problems)
        }
        let now = configuration.clock()
        if let existing = try await store.app(slug: manifest.slug) {
            guard APIExchange.bearer(request, matches: existing.submissionTokenHash) else {
                throw MarketplaceError.conflict(
                    "The slug \(manifest.slug) is taken; to send a new version of your app, "
                        + "authorize with the submission token of its first submission"
                )
            }
            try await store.resubmit(id: existing.id, manifest: manifest, now: now)
            return (200, AppSubmission(id: existing.id, slug: existing.slug, state: .pending, reason: nil))
        }
        let token = "bks_" + SecureRandom.base64URLToken(byteCount: 32)
        let app = try SubmittedApp(
            id: SecureRandom.uuid(),
            manifest: manifest,
            submissionTokenHash: APIExchange.hash(token),
            now: now
        )
        guard try await store.submit(app) else {
            throw MarketplaceError.conflict("The slug \(manifest.slug) was just taken; pick another")
        }
        return (201, AppSubmission(id: app.id, slug: app.slug, state: .pending, reason: nil, submissionToken: token))
    }

    func catalogue(_ request: Request) async throws -> CatalogueListing {
        let (limit, offset) = try exchange.page(request)
        let query = request.uri.queryParameters
        let search = query.get("search").map { String($0.prefix(100)) }
        let category = try query.get("category").flatMap { text throws(MarketplaceError) -> AppCategory? in
            if text.isEmpty { return nil }
            guard let category = AppCategory(rawValue: text) else {
                throw .invalid(
                    "category must be one of \(AppCategory.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return category
        }
        let apps = try await store.approvedApps(search: search, category: category, limit: limit, offset: offset)
        return CatalogueListing(apps: apps.compactMap(CatalogueApp.init), limit: limit, offset: offset)
    }

    private func submission(_ context: MarketplaceContext) async throws -> SubmittedApp {
        let id = context.parameters.get("id") ?? ""
        guard id.utf8.count <= 64, let app = try await store.app(id: id) else {
            throw MarketplaceError(status: 404, code: "NOT_FOUND", message: "No such submission")
        }
        return app
    }

    private func authorizeReviewer(_ request: Request) throws {
        guard let hash = configuration.adminTokenHash else {
            throw MarketplaceError(
                status: 403,
                code: "REVIEW_DISABLED",
                message: "Review is off on this marketplace: start it with --admin-token-file"
            )
        }
        guard APIExchange.bearer(request, matches: hash) else {
            throw MarketplaceError(status: 401, code: "UNAUTHORIZED", message: "A valid admin token is required")
        }
    }
}
