import AsyncHTTPClient
import ByokyCore
import ByokyHTTPServer
import ByokyServerStore
import ByokyStore
import ByokyTesting
import ByokyVault
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import ByokyDaemon

/// The wallet page's Cloud Sync section against a real vault on loopback: sign up, push, see and
/// end an app session made through the vault (its name stays text), pull, log out.
@Suite(.timeLimit(.minutes(3)))
struct WalletPageCloudSyncTests {
    typealias Browser = WalletPageTests.Browser

    /// A vault on a loopback port over a SQLite file (serving gifts with `giftKey`).
    static func withVault(giftKey: Bool = false, _ body: @Sendable (Int) async throws -> Void) async throws {
        try await TemporaryFolder.with { folder in
            let store = try await VaultStore.open(.sqliteFile(path: folder.path + "/vault.sqlite"))
            let httpClient = UpstreamClient()
            var configuration = VaultConfiguration()
            configuration.passwordIterations = 100_000
            if giftKey { configuration.giftKey = try GiftKey.loadOrCreate(path: folder.path + "/gift.key").key }
            defer {
                Task {
                    try? await httpClient.shutdown()
                    try? await store.close()
                }
            }
            try await VaultServer(store: store, configuration: configuration, httpClient: httpClient).withRunning {
                try await body($0)
            }
        }
    }

    @Test func theOwnerSyncsWithAVaultFromThePage() async throws {
        try await Self.withVault { vaultPort in
            try await BridgeFixture.with(grant: [.anthropic]) { bridge in
                let browser = try await Browser.loggedIn(bridge)
                let empty = try await browser.send(.GET, "/wallet/sync")
                #expect(empty.status == 200 && empty.text.contains("id=\"vault-login\""))
                #expect(empty.text.contains("<h1>Cloud Sync</h1>"))

                let vault = "http://127.0.0.1:\(vaultPort)"
                let password = "Page-Vault-Password-81"
                let weak = try await browser.post(
                    "/wallet/sync/login",
                    [("vault", vault), ("username", "page_sync"), ("password", "short"), ("mode", "signup")]
                )
                #expect(weak.status >= 400 && weak.text.contains("id=\"vault-login\""))
                #expect(!weak.text.contains("short\""))
                let signed = try await browser.post(
                    "/wallet/sync/login",
                    [("vault", vault), ("username", "page_sync"), ("password", password), ("mode", "signup")]
                )
                #expect(signed.status == 303 && signed.header("location") == "/wallet/sync?done=vault-signed-up")
                let account = try await browser.send(.GET, "/wallet/sync")
                #expect(account.text.contains("Logged in as <strong>page_sync</strong>"))

                let pushed = try await browser.post("/wallet/sync/push")
                #expect(pushed.status == 200 && pushed.text.contains("Pushed 4 key(s)"), "\(pushed.text)")

                // An app connects through the vault under a hostile name; the page lists it as text.
                let login = try await LoopbackHTTP.send(
                    port: vaultPort,
                    .POST,
                    "/auth/login",
                    json: #"{"username":"page_sync","password":"\#(password)"}"#
                )
                let token = try #require(login.json["token"] as? String)
                let connected = try await LoopbackHTTP.send(
                    port: vaultPort,
                    .POST,
                    "/connect",
                    json: #"{"providers":[{"id":"anthropic"}],"appName":"<script>alert(1)</script>"}"#,
                    token: token
                )
                #expect(connected.status == 201)
                let listed = try await browser.send(.GET, "/wallet/sync")
                #expect(listed.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!listed.text.contains("<script>alert(1)"))
                let id = try #require(
                    listed.text.firstMatch(of: /data-app-session="([^"]+)"/).map { String($0.1) }
                )
                let ended = try await browser.post("/wallet/sync/apps/\(id)/end")
                #expect(ended.status == 303 && ended.header("location") == "/wallet/sync?done=vault-app-ended")
                let apps = try await LoopbackHTTP.send(port: vaultPort, .GET, "/apps", token: token)
                #expect((apps.json["apps"] as? [[String: Any]])?.isEmpty == true)

                let pulled = try await browser.post("/wallet/sync/pull")
                #expect(pulled.status == 200 && pulled.text.contains("Pulled 0 key(s)"), "\(pulled.text)")

                let out = try await browser.post("/wallet/sync/logout")
                #expect(out.status == 303)
                #expect(bridge.wallet.vaultLogin() == nil)
                #expect(try await browser.send(.GET, "/wallet/sync").text.contains("id=\"vault-login\""))
            }
        }
    }

    @Test func theOwnerTurnsVaultServingOfAGiftOnAndOffFromThePage() async throws {
        try await Self.withVault(giftKey: true) { vaultPort in
            try await BridgeFixture.with(grant: [.anthropic]) { bridge in
                let browser = try await Browser.loggedIn(bridge)
                let key = try #require(try await bridge.wallet.credentials().first)
                // The relay is never reached here: only the switch and what the vault holds count.
                let (gift, _) = try await bridge.wallet.createGift(
                    key: key.id,
                    budget: 5_000,
                    lifetime: 86_400_000,
                    relayURL: "ws://127.0.0.1:9"
                )
                // No vault login: no switch.
                #expect(!(try await browser.send(.GET, "/wallet/gifts").text.contains("/vault-on")))

                let password = "Page-Vault-Password-82"
                let signed = try await browser.post(
                    "/wallet/sync/login",
                    [
                        ("vault", "http://127.0.0.1:\(vaultPort)"), ("username", "page_gifts"),
                        ("password", password), ("mode", "signup"),
                    ]
                )
                #expect(signed.status == 303)
                let page = try await browser.send(.GET, "/wallet/gifts")
                #expect(page.text.contains("action=\"/wallet/gifts/\(gift.id)/vault-on\""))
                #expect(page.text.contains("Its operator could use that key"))

                let on = try await browser.post("/wallet/gifts/\(gift.id)/vault-on")
                #expect(
                    on.status == 303 && on.header("location") == "/wallet/gifts?done=gift-vault-on",
                    "\(on.text)"
                )
                let login = try await LoopbackHTTP.send(
                    port: vaultPort,
                    .POST,
                    "/auth/login",
                    json: #"{"username":"page_gifts","password":"\#(password)"}"#
                )
                let token = try #require(login.json["token"] as? String)
                let served = try await LoopbackHTTP.send(port: vaultPort, .GET, "/gifts", token: token)
                #expect((served.json["gifts"] as? [[String: Any]])?.first?["id"] as? String == gift.id)
                #expect(try await bridge.wallet.gift(gift.id).servedByVault)
                #expect(try await browser.send(.GET, "/wallet/gifts").text.contains("vault serves it when offline"))

                let off = try await browser.post("/wallet/gifts/\(gift.id)/vault-off")
                #expect(off.status == 303 && off.header("location") == "/wallet/gifts?done=gift-vault-off")
                let after = try await LoopbackHTTP.send(port: vaultPort, .GET, "/gifts", token: token)
                #expect((after.json["gifts"] as? [[String: Any]])?.isEmpty == true)
                #expect(!(try await bridge.wallet.gift(gift.id).servedByVault))
            }
        }
    }
}
