import ByokyCore
import ByokyMarketplace
import ByokyServerStore
import ByokyTesting
import Foundation
import NIOHTTP1
import Testing

/// The marketplace's API over real HTTP and a real SQLite file: listing, the board, redemption,
/// usage, heartbeats, unlisting and expiry, and every refusal a hostile client should meet.
@Suite(.timeLimit(.minutes(3)))
struct MarketplaceAPITests {
    @Test(arguments: TestDatabase.available) func aGiftIsListedShownRedeemedUsedAndUnlisted(
        on database: TestDatabase
    ) async throws {
        try await MarketplaceFixture.with(MarketplaceFixture.configuration { $0.onlineWindow = 60_000 }, on: database) {
            market in
            let (id, url, management) = try await market.list(name: "  Ana <b>the giver</b>  ", budget: 5000)
            #expect(management.count >= 43)
            var board = try await market.board()
            let card = try #require(board.active.first)
            #expect(card["id"] as? String == id)
            #expect(card["gifterName"] as? String == "Ana <b>the giver</b>")
            #expect(card["providerId"] as? String == "anthropic")
            #expect(card["providerName"] as? String == "Anthropic")
            #expect(card["tokensRemaining"] as? Int == 5000)
            #expect(card["online"] as? Bool == true)
            // The board never carries the link or its token; only a redemption hands it out.
            let raw = try await market.send(.GET, "/gifts").text
            let token = try #require(GiftLink.decode(url)?.authToken)
            #expect(!raw.contains(token))
            #expect(!raw.contains(management))
            let redeemed = try await market.send(.GET, "/gifts/\(id)/redeem")
            #expect(redeemed.status == 200)
            let handed = try #require(redeemed.json["giftLink"] as? String)
            #expect(GiftLink.decode(handed)?.authToken == token)
            #expect(GiftLink.decode(handed)?.giftID == id)

            // Silence past the window: offline; a heartbeat brings it back.
            market.advance(milliseconds: 61_000)
            #expect(try await market.board().active.first?["online"] as? Bool == false)
            #expect(try await market.send(.POST, "/gifts/\(id)/heartbeat", token: management).status == 200)
            #expect(try await market.board().active.first?["online"] as? Bool == true)

            // Usage only grows, up to the budget.
            #expect(
                try await market.send(.PATCH, "/gifts/\(id)/usage", json: #"{"tokensUsed":1200}"#, token: management)
                    .status == 200
            )
            let lower = try await market.send(
                .PATCH,
                "/gifts/\(id)/usage",
                json: #"{"tokensUsed":100}"#,
                token: management
            )
            #expect(lower.status == 409)
            #expect(lower.json["code"] as? String == "CONFLICT")
            let over = try await market.send(
                .PATCH,
                "/gifts/\(id)/usage",
                json: #"{"tokensUsed":5001}"#,
                token: management
            )
            #expect(over.status == 400)
            #expect((over.json["error"] as? String)?.contains("budget") == true)
            board = try await market.board()
            #expect(board.active.first?["tokensUsed"] as? Int == 1200)
            #expect(board.active.first?["tokensRemaining"] as? Int == 3800)

            // Only the management token changes a gift.
            for wrong in [nil, "", "forged-token", management + "x"] {
                let answer = try await market.send(.DELETE, "/gifts/\(id)", token: wrong)
                #expect(answer.status == 401, "\(String(describing: wrong))")
            }
            #expect(try await market.send(.POST, "/gifts/\(id)/heartbeat", token: "forged").status == 401)
            #expect(try await market.send(.PATCH, "/gifts/\(id)/usage", json: #"{"tokensUsed":4000}"#).status == 401)
            #expect(try await market.board().active.count == 1)

            #expect(try await market.send(.DELETE, "/gifts/\(id)", token: management).status == 200)
            board = try await market.board()
            #expect(board.active.isEmpty && board.expired.isEmpty)
            let gone = try await market.send(.GET, "/gifts/\(id)/redeem")
            #expect(gone.status == 410)
            #expect(try await market.send(.POST, "/gifts/\(id)/heartbeat", token: management).status == 410)
            #expect(try await market.send(.GET, "/gifts/no-such-gift/redeem").status == 404)
        }
    }

    @Test(arguments: TestDatabase.available) func expiredAndUsedUpGiftsMoveToTheirOwnSection(
        on database: TestDatabase
    ) async throws {
        try await MarketplaceFixture.with(on: database) { market in
            let short = try await market.list(name: nil, budget: 100)
            let (usedUp, _, management) = try await market.list(budget: 50)
            #expect(
                try await market.send(.PATCH, "/gifts/\(usedUp)/usage", json: #"{"tokensUsed":50}"#, token: management)
                    .status == 200
            )
            var board = try await market.board()
            #expect(board.active.map { $0["id"] as? String } == [short.id])
            #expect(board.active.first?["gifterName"] as? String == "Anonymous")
            #expect(board.expired.map { $0["id"] as? String } == [usedUp])
            #expect(try await market.send(.GET, "/gifts/\(usedUp)/redeem").json["error"] as? String == "Gift used up")
            market.advance(milliseconds: 8 * 86_400_000)
            board = try await market.board()
            #expect(board.active.isEmpty)
            #expect(Set(board.expired.compactMap { $0["id"] as? String }) == [short.id, usedUp])
            #expect(board.expired.allSatisfy { $0["online"] as? Bool == false })
            #expect(try await market.send(.GET, "/gifts/\(short.id)/redeem").json["error"] as? String == "Gift expired")
        }
    }

    @Test(arguments: TestDatabase.available) func theBoardPagesAndFiltersByProvider(
        on database: TestDatabase
    ) async throws {
        try await MarketplaceFixture.with(MarketplaceFixture.configuration { $0.listingsPerMinute = 100 }, on: database)
        { market in
            var ids: [String] = []
            for index in 0..<7 {
                let (id, url, _) = MarketplaceFixture.link(provider: index < 5 ? .anthropic : .openai)
                let answer = try await market.send(.POST, "/gifts", json: #"{"giftLink":"\#(url)"}"#)
                #expect(answer.status == 201)
                ids.append(id)
                market.advance(milliseconds: 1000)
            }
            let first = try await market.board("?limit=3")
            #expect(first.active.compactMap { $0["id"] as? String } == Array(ids.reversed().prefix(3)))
            let second = try await market.board("?limit=3&offset=3")
            #expect(second.active.compactMap { $0["id"] as? String } == Array(ids.reversed().dropFirst(3).prefix(3)))
            #expect(try await market.board("?provider=openai").active.count == 2)
            #expect(try await market.board("?provider=anthropic").active.count == 5)
            for bad in ["?limit=0", "?limit=201", "?limit=x", "?offset=-1", "?provider=not-a-provider"] {
                let answer = try await market.send(.GET, "/gifts" + bad)
                #expect(answer.status == 400, "\(bad)")
                #expect(answer.json["code"] as? String == "INVALID_REQUEST")
            }
        }
    }

    @Test(arguments: TestDatabase.available) func hostileListingsAreRefusedWithAClearError(
        on database: TestDatabase
    ) async throws {
        try await MarketplaceFixture.with(MarketplaceFixture.configuration { $0.listingsPerMinute = 100 }, on: database)
        { market in
            let v1 = MarketplaceFixture.link(version2: false)
            let good = MarketplaceFixture.link()
            let far = MarketplaceFixture.link(expiresIn: 91 * 86_400_000)
            let expired = MarketplaceFixture.link(expiresIn: -1000)
            let cases: [(String, String, String)] = [
                ("a version 1 link", #"{"giftLink":"\#(v1.url)"}"#, "version 2"),
                ("not a link", #"{"giftLink":"https://example.com/x"}"#, "not a byoky gift link"),
                ("an expired link", #"{"giftLink":"\#(expired.url)"}"#, "expired"),
                ("past 90 days", #"{"giftLink":"\#(far.url)"}"#, "90 days"),
                ("no JSON", "not json", "JSON"),
                ("no link", #"{"gifterName":"x"}"#, "JSON"),
                ("a control character", #"{"giftLink":"\#(good.url)","gifterName":"a\u0007b"}"#, "control"),
                (
                    "a long name",
                    #"{"giftLink":"\#(good.url)","gifterName":"\#(String(repeating: "n", count: 101))"}"#, "100"
                ),
                ("another id", #"{"giftLink":"\#(good.url)","id":"other"}"#, "id does not match"),
                ("another budget", #"{"giftLink":"\#(good.url)","tokenBudget":1}"#, "tokenBudget does not match"),
                ("a huge link", #"{"giftLink":"\#(String(repeating: "a", count: 9000))"}"#, "not a byoky gift link"),
            ]
            for (name, body, expected) in cases {
                let answer = try await market.send(.POST, "/gifts", json: body)
                #expect(answer.status == 400, "\(name): \(answer.status) \(answer.text)")
                #expect((answer.json["error"] as? String)?.contains(expected) == true, "\(name): \(answer.text)")
            }
            let oversized = try await market.send(.POST, "/gifts", json: String(repeating: " ", count: 20_000) + "{}")
            #expect(oversized.status == 413)
            #expect(try await market.board().active.isEmpty)
            // The link it lists is the one it hands out; a second listing of the same gift is refused.
            #expect(try await market.send(.POST, "/gifts", json: #"{"giftLink":"\#(good.url)"}"#).status == 201)
            let again = try await market.send(.POST, "/gifts", json: #"{"giftLink":"\#(good.url)"}"#)
            #expect(again.status == 409)
            #expect(try await market.board().active.count == 1)
        }
    }

    @Test(arguments: TestDatabase.available) func floodsMeetTheRateLimitsPerClientAddress(
        on database: TestDatabase
    ) async throws {
        let strict = MarketplaceFixture.configuration {
            $0.listingsPerMinute = 3
            $0.redeemsPerMinute = 2
        }
        try await MarketplaceFixture.with(strict, on: database) { market in
            // X-Forwarded-For is not trusted by default: a flood cannot pick fresh buckets.
            var statuses: [Int] = []
            for index in 0..<4 {
                let (_, url, _) = MarketplaceFixture.link()
                statuses.append(
                    try await market.send(
                        .POST,
                        "/gifts",
                        json: #"{"giftLink":"\#(url)"}"#,
                        headers: [("x-forwarded-for", "10.0.0.\(index)")]
                    ).status
                )
            }
            #expect(statuses == [201, 201, 201, 429])
            let id = try #require(try await market.board().active.first?["id"] as? String)
            let redeems = try await [1, 2, 3].asyncMap { _ in try await market.send(.GET, "/gifts/\(id)/redeem").status
            }
            #expect(redeems == [200, 200, 429])
            let limited = try await market.send(.GET, "/gifts/\(id)/redeem")
            #expect(limited.json["code"] as? String == "RATE_LIMITED")
            // A minute later the window is new.
            market.advance(milliseconds: 60_000)
            #expect(try await market.send(.GET, "/gifts/\(id)/redeem").status == 200)
        }
        let proxied = MarketplaceFixture.configuration {
            $0.listingsPerMinute = 1
            $0.trustForwardedFor = true
        }
        try await MarketplaceFixture.with(proxied, on: database) { market in
            // Behind a trusted proxy, each client (the proxy's last entry) has its own bucket.
            for client in ["203.0.113.1", "203.0.113.2"] {
                _ = try await market.list(headers: [("x-forwarded-for", "spoofed, \(client)")])
            }
            let (_, url, _) = MarketplaceFixture.link()
            let third = try await market.send(
                .POST,
                "/gifts",
                json: #"{"giftLink":"\#(url)"}"#,
                headers: [("x-forwarded-for", "other, 203.0.113.1")]
            )
            #expect(third.status == 429)
        }
    }

    /// Reports racing each other (a wallet retrying, two instances behind a proxy) never lower usage,
    /// and one gift listed twice at once is on the board once.
    @Test(arguments: TestDatabase.available)
    func racingWritesKeepUsageRisingAndAGiftListedOnce(on database: TestDatabase) async throws {
        let configuration = MarketplaceFixture.configuration { $0.listingsPerMinute = 100 }
        try await MarketplaceFixture.with(configuration, on: database) { market in
            let (id, _, management) = try await market.list(budget: 100_000)
            let reports = Array(stride(from: 500, through: 20_000, by: 500)).shuffled()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for used in reports {
                    group.addTask {
                        try await market.send(
                            .PATCH,
                            "/gifts/\(id)/usage",
                            json: #"{"tokensUsed":\#(used)}"#,
                            token: management
                        )
                        .status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(Set(statuses).isSubset(of: [200, 409]))
            #expect(statuses.contains(200))
            let shown = try await market.board().active.first { $0["id"] as? String == id }
            #expect(shown?["tokensUsed"] as? Int == 20_000)

            let (_, link, _) = MarketplaceFixture.link(budget: 1_000, now: market.time.withLock { $0 })
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["giftLink": link]), as: UTF8.self)
            let listings = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 { group.addTask { try await market.send(.POST, "/gifts", json: body).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(listings.sorted() == [201, 409, 409, 409, 409, 409])
            #expect(try await market.board().active.count == 2)
        }
    }

    @Test(arguments: TestDatabase.available) func listingsSurviveARestartAndHealthAndMetricsAnswer(
        on database: TestDatabase
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let location = try await database.freshLocation(in: folder, name: "restarted")
        let listed = Locked<(String, String)?>(nil)
        try await MarketplaceFixture.with(location: location) { market in
            let (id, _, management) = try await market.list()
            listed.withLock { $0 = (id, management) }
            #expect(try await market.send(.GET, "/health").json["ok"] as? Bool == true)
            _ = try await market.send(.GET, "/gifts")
            let metrics = try await market.send(.GET, "/metrics").text
            #expect(metrics.contains("byoky_marketplace_active_gifts 1"))
            #expect(metrics.contains(#"byoky_marketplace_requests_total{route="create",status="201"} 1"#))
            #expect(metrics.contains(#"byoky_marketplace_requests_total{route="list",status="200"} 1"#))
        }
        let (id, management) = try #require(listed.withLock { $0 })
        try await MarketplaceFixture.with(location: location) { (market: MarketplaceFixture) async throws in
            #expect(try await market.board().active.first?["id"] as? String == id)
            #expect(try await market.send(.POST, "/gifts/\(id)/heartbeat", token: management).status == 200)
        }
    }
}

extension Array {
    /// Maps in order, awaiting each element (requests that must not overlap).
    func asyncMap<T>(_ transform: (Element) async throws -> T) async throws -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
