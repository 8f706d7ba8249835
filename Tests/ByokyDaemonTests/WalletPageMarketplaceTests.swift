import ByokyCore
import ByokyDaemon
import ByokyHTTPServer
import ByokyMarketplace
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

/// The wallet page's gift form lists on a real marketplace (in process, on loopback): listed at
/// creation, a board that does not answer leaves the gift standing with a way to list it later,
/// and revoking takes it off the board.
@Suite(.timeLimit(.minutes(3)))
struct WalletPageMarketplaceTests {
    @Test func aGiftMadeOnThePageIsListedAndLeavesTheBoardWhenRevoked() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try await MarketplaceStore.open(at: folder.path + "/board.sqlite")
        try await MarketplaceServer(store: store).withRunning { marketPort in
            try await BridgeFixture.with { bridge in
                let browser = try await WalletPageTests.Browser.loggedIn(bridge)
                let board = "http://127.0.0.1:\(marketPort)"
                let key = try #require(try await bridge.wallet.credentials().first { $0.provider == .anthropic })
                func make(marketplace: String) async throws -> BridgeFixture.Exchange {
                    try await browser.post(
                        "/wallet/gifts",
                        [
                            ("key", key.id), ("budget", "700"), ("expires", "1d"), ("relay", "ws://127.0.0.1:9"),
                            ("list", "1"), ("boardName", "Cy"), ("marketplace", marketplace),
                        ]
                    )
                }
                let listed = try await make(marketplace: board)
                let first = try #require(try await bridge.wallet.gifts().first)
                #expect(listed.header("location") == "/wallet/gifts/\(first.id)?done=gift-created-listed")
                #expect(try await store.gift(first.id)?.gifterName == "Cy")
                let detail = try await browser.send(.GET, "/wallet/gifts/\(first.id)")
                #expect(detail.text.contains("on \(board) as"))

                // A board that does not answer: the gift stands, and its page lists it later.
                let failed = try await make(marketplace: "http://127.0.0.1:9")
                let second = try #require(try await bridge.wallet.gifts().first { $0.id != first.id })
                #expect(failed.header("location") == "/wallet/gifts/\(second.id)?done=gift-created-not-listed")
                #expect(try await store.gift(second.id) == nil)
                let page = try await browser.send(.GET, "/wallet/gifts/\(second.id)?done=gift-created-not-listed")
                #expect(page.text.contains("action=\"/wallet/gifts/\(second.id)/list\""))
                let later = try await browser.post(
                    "/wallet/gifts/\(second.id)/list",
                    [("boardName", ""), ("marketplace", board)]
                )
                #expect(later.header("location") == "/wallet/gifts/\(second.id)?done=gift-listed")
                #expect(try await store.gift(second.id)?.gifterName == "Anonymous")
                let twice = try await browser.post("/wallet/gifts/\(second.id)/list", [("marketplace", board)])
                #expect(twice.status == 400)

                // Revoked on the page: the wallet takes it off the board.
                _ = try await browser.post("/wallet/gifts/\(first.id)/revoke")
                var unlisted = false
                for _ in 0..<100 where !unlisted {
                    unlisted = try await store.gift(first.id)?.unlisted == true
                    if !unlisted { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(unlisted)
                #expect(try await store.gift(second.id)?.unlisted == false)
            }
        }
        try await store.close()
    }
}
