public import ByokyCore
import Foundation
import NIOHTTP1

extension MarketplaceClient {
    /// Submits an app's manifest for review. A first submission answers a submission token (shown
    /// once); pass it as `token` to send a new version of the same slug.
    public func submit(_ manifest: AppManifest, token: SecretString? = nil) async throws -> AppSubmission {
        try decode(
            AppSubmission.self,
            try await send(.POST, "/apps", json: try JSONEncoder().encode(manifest), token: token)
        )
    }

    /// Where a submission stands.
    public func submission(_ id: String) async throws -> AppSubmission {
        try decode(AppSubmission.self, try await send(.GET, "/apps/submissions/\(escaped(id))"))
    }

    /// The catalogue of approved apps.
    public func catalogue(search: String? = nil, category: AppCategory? = nil) async throws -> CatalogueListing {
        var query: [String] = []
        if let search, !search.isEmpty { query.append("search=\(escaped(search))") }
        if let category { query.append("category=\(category.rawValue)") }
        return try decode(
            CatalogueListing.self,
            try await send(.GET, "/apps" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
        )
    }

    /// One approved app by its slug.
    public func app(slug: String) async throws -> CatalogueApp {
        try decode(CatalogueApp.self, try await send(.GET, "/apps/\(escaped(slug))"))
    }

    /// Submissions for reviewers (every state when `state` is nil).
    public func submissionsForReview(state: AppReviewState?, adminToken: SecretString) async throws -> [ReviewedApp] {
        try decode(
            [ReviewedApp].self,
            try await send(.GET, "/admin/apps" + (state.map { "?state=\($0.rawValue)" } ?? ""), token: adminToken)
        )
    }

    /// A reviewer's decision: `approve`, `reject` or `suspend` (the last two with a reason).
    public func review(
        _ id: String,
        decision: String,
        reason: String?,
        adminToken: SecretString
    ) async throws -> AppSubmission {
        let body = try JSONSerialization.data(withJSONObject: reason.map { ["reason": $0] } ?? [:])
        return try decode(
            AppSubmission.self,
            try await send(.POST, "/admin/apps/\(escaped(id))/\(escaped(decision))", json: body, token: adminToken)
        )
    }
}
