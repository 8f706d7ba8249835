import ByokyCore
import ByokyDaemon
import ByokyStore
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

/// What the Keys, Apps and Routing pages say about use: which apps each key serves (following
/// groups and their pins), when each app last made a request, and a received gift pinned in a group.
@Suite(.timeLimit(.minutes(3)))
struct WalletPageKeysAndAppsTests {
    typealias Browser = WalletPageTests.Browser

    /// The `Used by` cell of a key's row.
    static func usedBy(_ page: String, key: String) throws -> String {
        let row = try #require(page.range(of: "data-key=\"\(key)\""))
        let cell = try #require(page.range(of: "class=\"used-by\">", range: row.upperBound..<page.endIndex))
        return String(page[cell.upperBound...].prefix { $0 != "\n" })
    }

    @Test func keysSayWhichAppsTheyServeAndAppsWhenTheyLastAsked() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let keys = try await bridge.wallet.credentials()
            let anthropic = try #require(keys.first { $0.provider == .anthropic })
            let openai = try #require(keys.first { $0.provider == .openai })
            var page = try await browser.send(.GET, "/wallet/keys").text
            #expect(try Self.usedBy(page, key: anthropic.id).contains("<span class=\"tag\">Bridge test</span>"))
            #expect(try Self.usedBy(page, key: openai.id).contains("no app now"))

            // A group routes the app to OpenAI: the OpenAI key serves it now, the Anthropic key does not.
            _ = try await browser.post(
                "/wallet/routing/groups",
                [("name", "to-openai"), ("provider", "openai"), ("model", "gpt-4o-mini")]
            )
            _ = try await browser.post("/wallet/routing/assign", [("app", "Bridge test"), ("group", "to-openai")])
            page = try await browser.send(.GET, "/wallet/keys").text
            #expect(try Self.usedBy(page, key: openai.id).contains("Bridge test"))
            #expect(try Self.usedBy(page, key: anthropic.id).contains("no app now"))

            // The Apps page: "never" until the app asks, then the time of its last request.
            let session = try #require(try await bridge.wallet.sessionSummaries().first)
            func lastUsed() async throws -> String {
                let apps = try await browser.send(.GET, "/wallet/apps").text
                let row = try #require(apps.range(of: "data-session=\"\(session.id)\""))
                let cell = try #require(apps.range(of: "class=\"last-used\">", range: row.upperBound..<apps.endIndex))
                return String(apps[cell.upperBound...].prefix { $0 != "<" })
            }
            #expect(try await lastUsed() == "never")
            // The page says where programs connect: this wallet's own bridge, whatever its port.
            let appsPage = try await browser.send(.GET, "/wallet/apps").text
            #expect(appsPage.contains("Connect a program"))
            #expect(appsPage.contains("<code>http://127.0.0.1:\(bridge.port)/anthropic</code>"))
            #expect(appsPage.contains("<code>http://127.0.0.1:\(bridge.port)/openai/v1</code>"))
            #expect(appsPage.contains("byoky exec -- your-command"))
            let answer = try await bridge.send(
                .POST,
                "/anthropic/v1/messages",
                body: #"{"model":"claude-test","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#,
                headers: [bridge.authHeader(for: .anthropic), ("anthropic-version", "2023-06-01")]
            )
            #expect(answer.status == 200)
            let logged = try #require(try await bridge.wallet.lastUsed(ofSession: session.id))
            #expect(try await lastUsed() == WalletPageLayoutTime.format(logged))
        }
    }

    @Test func aReceivedGiftIsPinnedInAGroupFromTheRoutingPage() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let (gift, link) = try await bridge.wallet.createGift(
                key: "Anthropic",
                budget: 1000,
                lifetime: 3_600_000,
                relayURL: "ws://127.0.0.1:9",
                label: "Bea"
            )
            var routing = try await browser.send(.GET, "/wallet/routing").text
            #expect(!routing.contains("name=\"gift\""))
            try await bridge.wallet.redeemGift(link: link.url())
            routing = try await browser.send(.GET, "/wallet/routing").text
            #expect(routing.contains("<option value=\"\(gift.id)\">from Bea (Anthropic, 1000 tokens left)</option>"))

            let mismatched = try await browser.post(
                "/wallet/routing/groups",
                [("name", "wrong"), ("provider", "openai"), ("gift", gift.id)]
            )
            #expect(mismatched.status == 400)
            #expect(mismatched.text.contains("gifts serve only their own provider"))
            let added = try await browser.post(
                "/wallet/routing/groups",
                [("name", "gifted"), ("provider", "anthropic"), ("gift", gift.id)]
            )
            #expect(added.header("location") == "/wallet/routing?done=group-added")
            let group = try #require(try await bridge.wallet.groupSummaries().first { $0.name == "gifted" })
            #expect(group.pinnedGift == gift.id)
            #expect(try await browser.send(.GET, "/wallet/routing").text.contains("received gift \(gift.id.prefix(8))"))
        }
    }
}

/// The wallet page's time format (UTC, to the minute), as the tests read it back.
enum WalletPageLayoutTime {
    static func format(_ milliseconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
