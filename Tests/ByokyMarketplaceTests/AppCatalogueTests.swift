import ByokyCore
import ByokyMarketplace
import ByokyTesting
import Foundation
import NIOHTTP1
import Testing

/// The app catalogue over HTTP on both databases: submission, review under the admin token, the
/// public catalogue and its page, new versions, and what hostile submitters and clients meet.
@Suite(.timeLimit(.minutes(3)))
struct AppCatalogueTests {
    static let adminToken = "admin-" + SecureRandom.base64URLToken(byteCount: 24)

    static func configuration(_ adjust: (inout MarketplaceConfiguration) -> Void = { _ in }) -> MarketplaceConfiguration
    {
        MarketplaceFixture.configuration {
            $0.adminTokenHash = MarketplaceServer.tokenHash(adminToken)
            $0.submissionsPerMinute = 100
            adjust(&$0)
        }
    }

    static func manifest(
        slug: String = "pocket-chat",
        name: String = "Pocket Chat",
        category: String = "chat",
        providers: [String] = ["anthropic"],
        url: String = "https://chat.example.com/"
    ) -> String {
        let object: [String: Any] = [
            "name": name, "slug": slug, "url": url, "icon": "icon.svg",
            "description": "Made for your own wallet.", "category": category, "providers": providers,
            "author": ["name": "Ana", "email": "ana@example.com"],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    func review(
        _ market: MarketplaceFixture,
        _ id: String,
        _ decision: String,
        reason: String? = nil,
        token: String? = adminToken
    )
        async throws -> MarketplaceFixture.Answer
    {
        let body = reason.map { #"{"reason":"\#($0)"}"# } ?? "{}"
        return try await market.send(.POST, "/admin/apps/\(id)/\(decision)", json: body, token: token)
    }

    func catalogue(_ market: MarketplaceFixture, _ query: String = "") async throws -> [String] {
        let answer = try await market.send(.GET, "/apps" + query)
        return (answer.json["apps"] as? [[String: Any]] ?? []).compactMap { $0["slug"] as? String }
    }

    @Test(arguments: TestDatabase.available)
    func aSubmissionIsReviewedIntoTheCatalogueAndOut(on database: TestDatabase) async throws {
        try await MarketplaceFixture.with(Self.configuration(), on: database) { market in
            let submitted = try await market.send(.POST, "/apps", json: Self.manifest())
            #expect(submitted.status == 201, "\(submitted.text)")
            let id = try #require(submitted.json["id"] as? String)
            let token = try #require(submitted.json["submissionToken"] as? String)
            #expect(submitted.json["state"] as? String == "pending")
            // Pending: not in the catalogue, not readable by slug; its state is.
            #expect(try await catalogue(market).isEmpty)
            #expect(try await market.send(.GET, "/apps/pocket-chat").status == 404)
            #expect(try await market.send(.GET, "/apps/submissions/\(id)").json["state"] as? String == "pending")

            // Reviewers see it, whole; nobody else does.
            #expect(try await market.send(.GET, "/admin/apps").status == 401)
            #expect(try await market.send(.GET, "/admin/apps", token: "admin-guess").status == 401)
            let pending = try await market.send(.GET, "/admin/apps?state=pending", token: Self.adminToken)
            let listed = try #require(try JSONSerialization.jsonObject(with: Data(pending.body)) as? [[String: Any]])
            #expect(listed.first?["id"] as? String == id)
            #expect((listed.first?["manifest"] as? [String: Any])?["author"] as? [String: String] != nil)

            #expect(try await review(market, id, "reject").status == 400)  // a rejection needs a reason
            #expect(try await review(market, id, "suspend", reason: "early").status == 409)  // not approved yet
            #expect(try await review(market, id, "approve", token: nil).status == 401)
            let approved = try await review(market, id, "approve")
            #expect(approved.json["state"] as? String == "approved")
            #expect(try await catalogue(market) == ["pocket-chat"])
            let card = try await market.send(.GET, "/apps/pocket-chat").json
            #expect(card["origin"] as? String == "https://chat.example.com")
            #expect(card["iconURL"] as? String == "https://chat.example.com/icon.svg")
            #expect(card["providers"] as? [String] == ["anthropic"])
            #expect(card["authorName"] as? String == "Ana")
            #expect(card["authorEmail"] == nil)  // an address for reviewers, not for the public

            // Suspended: out at once, with the reason for its submitter.
            #expect(try await review(market, id, "suspend", reason: "Calls a provider directly").status == 200)
            #expect(try await catalogue(market).isEmpty)
            let state = try await market.send(.GET, "/apps/submissions/\(id)").json
            #expect(state["state"] as? String == "suspended")
            #expect(state["reason"] as? String == "Calls a provider directly")

            // A new version needs the submission token; it goes back to review.
            let stranger = try await market.send(.POST, "/apps", json: Self.manifest(name: "Pocket Chat 2"))
            #expect(stranger.status == 409)
            let update = try await market.send(.POST, "/apps", json: Self.manifest(name: "Pocket Chat 2"), token: token)
            #expect(update.status == 200)
            #expect(update.json["state"] as? String == "pending")
            #expect(update.json["submissionToken"] == nil)
            #expect(try await review(market, id, "approve").status == 200)
            #expect(try await market.send(.GET, "/apps/pocket-chat").json["name"] as? String == "Pocket Chat 2")
        }
    }

    @Test(arguments: TestDatabase.available)
    func theCatalogueSearchesAndFilters(on database: TestDatabase) async throws {
        try await MarketplaceFixture.with(Self.configuration(), on: database) { market in
            let apps = [
                ("pocket-chat", "Pocket Chat", "chat"), ("code-buddy", "Code Buddy", "coding"),
                ("chart-desk", "Chart Desk", "trading"), ("hidden-one", "Hidden One", "chat"),
            ]
            for (slug, name, category) in apps {
                let answer = try await market.send(
                    .POST,
                    "/apps",
                    json: Self.manifest(slug: slug, name: name, category: category)
                )
                let id = try #require(answer.json["id"] as? String)
                if slug != "hidden-one" { #expect(try await review(market, id, "approve").status == 200) }
            }
            #expect(Set(try await catalogue(market)) == ["pocket-chat", "code-buddy", "chart-desk"])
            #expect(try await catalogue(market, "?category=coding") == ["code-buddy"])
            #expect(try await catalogue(market, "?search=CHAT") == ["pocket-chat"])
            #expect(Set(try await catalogue(market, "?search=ch")) == ["pocket-chat", "chart-desk"])
            #expect(try await catalogue(market, "?search=%25").count == 3)  // a wildcard matches nothing special
            #expect(try await catalogue(market, "?search=hidden").isEmpty)
            #expect(try await market.send(.GET, "/apps?category=games").status == 400)
            #expect(try await market.send(.GET, "/apps?limit=0").status == 400)

            let page = try await market.send(.GET, "/catalogue?category=chat")
            #expect(page.status == 200)
            #expect(page.text.contains("Pocket Chat") && !page.text.contains("Code Buddy"))
            let policy = page.headers.first { $0.0.lowercased() == "content-security-policy" }?.1 ?? ""
            #expect(policy.contains("img-src 'self' data: https:") && policy.contains("script-src 'self';"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func hostileSubmissionsAreRefusedOrShownAsText(on database: TestDatabase) async throws {
        try await MarketplaceFixture.with(Self.configuration(), on: database) { market in
            let broken = try await market.send(
                .POST,
                "/apps",
                json: Self.manifest(
                    slug: "Bad Slug",
                    category: "games",
                    providers: ["skynet"],
                    url: "http://127.0.0.1:9/"
                )
            )
            #expect(broken.status == 400)
            #expect(broken.json["code"] as? String == "INVALID_MANIFEST")
            let fields = (broken.json["problems"] as? [[String: String]] ?? []).compactMap { $0["field"] }
            #expect(Set(fields) == ["slug", "category", "providers[0]", "url"])

            let huge = try await market.send(.POST, "/apps", json: String(repeating: " ", count: 17_000) + "{}")
            #expect(huge.status == 413)
            #expect(try await market.send(.POST, "/apps", json: "{not json").status == 400)

            // Markup in a name and a description: taken, and shown as text.
            let sneaky = try await market.send(
                .POST,
                "/apps",
                json: Self.manifest(slug: "sneaky", name: "<script>alert(1)</script><img src=x onerror=alert(2)>")
            )
            let id = try #require(sneaky.json["id"] as? String)
            #expect(try await review(market, id, "approve").status == 200)
            let page = try await market.send(.GET, "/catalogue").text
            #expect(!page.contains("<script>alert(1)") && !page.contains("<img src=x"))
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))

            // Review stays off on a marketplace without an admin token.
            try await MarketplaceFixture.with(MarketplaceFixture.configuration { _ in }, on: database) { closed in
                let answer = try await closed.send(.GET, "/admin/apps", token: Self.adminToken)
                #expect(answer.status == 403)
                #expect(answer.json["code"] as? String == "REVIEW_DISABLED")
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLocalCatalogueTakesLoopbackAppsAndSubmittersAreRateLimited(on database: TestDatabase) async throws {
        let local = Self.configuration {
            $0.allowsLoopbackApps = true
            $0.submissionsPerMinute = 2
        }
        try await MarketplaceFixture.with(local, on: database) { market in
            let first = try await market.send(
                .POST,
                "/apps",
                json: Self.manifest(slug: "local-one", url: "http://127.0.0.1:8080/")
            )
            #expect(first.status == 201, "\(first.text)")
            #expect(try await market.send(.POST, "/apps", json: Self.manifest(slug: "local-two")).status == 201)
            let third = try await market.send(.POST, "/apps", json: Self.manifest(slug: "local-three"))
            #expect(third.status == 429)
        }
    }
}
