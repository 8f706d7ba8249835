import ByokyCore
import ByokyMarketplace
import ByokyTesting
import Foundation
import NIOHTTP1
import Testing

/// The board's server-rendered pages: cards with dot, bar and countdown, names as text, the
/// redemption page (link and QR code, under the API's rate limit), headers and assets.
@Suite(.timeLimit(.minutes(3)))
struct BoardPageTests {
    @Test(arguments: TestDatabase.available) func theBoardShowsCardsAndAHostileNameAsText(
        on database: TestDatabase
    ) async throws {
        try await MarketplaceFixture.with(MarketplaceFixture.configuration { $0.onlineWindow = 60_000 }, on: database) {
            market in
            let hostile = #"<script>window.pwned=1</script>"#
            let (id, url, _) = try await market.list(name: hostile, budget: 4000)
            market.advance(milliseconds: 3_600_000 + 61_000)
            let other = try await market.list(name: "Bo", budget: 100)
            let page = try await market.send(.GET, "/")
            #expect(page.status == 200)
            #expect(page.text.contains("&lt;script&gt;window.pwned=1&lt;/script&gt;"))
            #expect(!page.text.contains(hostile))
            #expect(!page.text.contains(try #require(GiftLink.decode(url)?.authToken)))
            // One card each, newest first: its dot, its bar, its countdown.
            let first = try #require(page.text.range(of: "data-gift=\"\(other.id)\""))
            let second = try #require(page.text.range(of: "data-gift=\"\(id)\""))
            #expect(first.lowerBound < second.lowerBound)
            let hostileCard = String(page.text[second.lowerBound...].prefix(1200))
            #expect(hostileCard.contains("dot offline"))
            #expect(hostileCard.contains(#"<progress max="4000" value="4000""#))
            #expect(hostileCard.contains(">6d 22h</time>"))
            #expect(hostileCard.contains("href=\"/redeem/\(id)\""))
            let otherCard = String(page.text[first.lowerBound...].prefix(600))
            #expect(otherCard.contains("dot online"))
            let policy = try #require(page.header("content-security-policy"))
            #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"))
            #expect(!policy.contains("unsafe"))
            // Filtered by provider; an unknown one is a clear refusal.
            #expect(try await market.send(.GET, "/?provider=openai").text.contains("No gifts right now"))
            #expect(try await market.send(.GET, "/?provider=nope").status == 400)
            // The page's own script and styles.
            let script = try await market.send(.GET, "/marketplace/assets/board.js")
            #expect(script.status == 200)
            #expect(script.header("content-type")?.contains("javascript") == true)
            #expect(try await market.send(.GET, "/marketplace/assets/nothing.js").status == 404)
            let shared = try await market.send(.GET, "/shared/copy-buttons.js")
            #expect(shared.text.contains("export function enableCopyButtons"))
            #expect(script.text.contains("from '../../shared/copy-buttons.js'"))
        }
    }

    @Test(arguments: TestDatabase.available) func redeemingShowsTheLinkAndItsQRCodeUnderTheSameLimit(
        on database: TestDatabase
    ) async throws {
        try await MarketplaceFixture.with(MarketplaceFixture.configuration { $0.redeemsPerMinute = 2 }, on: database) {
            market in
            let (id, url, management) = try await market.list(name: "Ana", budget: 500)
            let page = try await market.send(.GET, "/redeem/\(id)")
            #expect(page.status == 200)
            #expect(page.text.contains(#"<code id="gift-link" class="link">\#(url)</code>"#))
            #expect(page.text.contains("<svg"))
            #expect(page.text.contains("byoky gift redeem"))
            // The page and the API share one redemption budget per address.
            #expect(try await market.send(.GET, "/gifts/\(id)/redeem").status == 200)
            let limited = try await market.send(.GET, "/redeem/\(id)")
            #expect(limited.status == 429)
            #expect(!limited.text.contains(url))
            market.advance(milliseconds: 60_000)
            #expect(try await market.send(.DELETE, "/gifts/\(id)", token: management).status == 200)
            let unlisted = try await market.send(.GET, "/redeem/\(id)")
            #expect(unlisted.status == 410)
            #expect(!unlisted.text.contains(url))
            #expect(try await market.send(.GET, "/redeem/unknown").status == 404)
        }
    }
}
