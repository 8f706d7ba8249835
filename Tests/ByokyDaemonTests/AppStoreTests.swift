import ByokyCore
import ByokyDaemon
import ByokyHTTPServer
import ByokyMarketplace
import ByokyMockProvider
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

/// Apps installed from a real catalogue (a marketplace in process, on loopback) through the wallet
/// page: trust for the declared providers only, the routes the hosting page calls, and turning
/// apps off, on and out.
@Suite(.timeLimit(.minutes(3)))
struct AppStoreTests {
    static let appOrigin = "http://127.0.0.1:8123"

    /// A catalogue holding one approved app (and one pending, which must not show).
    static func withCatalogue(
        name: String = "Trusted Chat",
        providers: [String] = ["anthropic"],
        _ body: @Sendable (String, MarketplaceStore) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try await MarketplaceStore.open(at: folder.path + "/board.sqlite")
        let policy = AppManifest.Policy(allowsLoopbackApps: true)
        for (slug, approve) in [("trusted-chat", true), ("waiting-app", false)] {
            let object: [String: Any] = [
                "name": slug == "trusted-chat" ? name : "Waiting App", "slug": slug,
                "url": slug == "trusted-chat" ? appOrigin + "/chat/" : "http://127.0.0.1:8124/",
                "icon": "icon.svg", "description": "Answers <b>with</b> your own wallet.", "category": "chat",
                "providers": providers, "author": ["name": "Ana", "email": "ana@example.com"],
            ]
            let manifest = try AppManifest.read(try JSONSerialization.data(withJSONObject: object), policy: policy)
            let id = "app-" + slug
            _ = try await store.submit(SubmittedApp(id: id, manifest: manifest, submissionTokenHash: "x", now: 1))
            if approve { _ = try await store.review(id: id, to: .approved, from: [.pending], reason: nil, now: 2) }
        }
        try await MarketplaceServer(store: store).withRunning { port in
            try await body("http://127.0.0.1:\(port)", store)
        }
        try await store.close()
    }

    /// Connects as a page of `origin` would, and reads the status at once.
    static func connect(
        _ bridge: BridgeFixture,
        origin: String = appOrigin,
        providers: String = #"[{"id":"anthropic","required":true},{"id":"openai"}]"#
    ) async throws -> [String: Any] {
        let ticket = try await bridge.send(
            .POST,
            "/v1/connect",
            body: #"{"app":{"name":"Claims to be anything"},"providers":\#(providers)}"#,
            headers: [("origin", origin)]
        )
        let id = try #require(ticket.json["requestId"] as? String)
        return try await bridge.send(.GET, "/v1/connect/\(id)", headers: [("origin", origin)]).json
    }

    /// A request of the script of the page that hosts the app.
    static func hosted(
        _ browser: WalletPageTests.Browser,
        _ method: HTTPMethod,
        _ path: String,
        body: String? = nil,
        csrf: String? = nil,
        session: String? = nil,
        site: String = "same-origin"
    ) async throws -> BridgeFixture.Exchange {
        var headers = [("x-byoky-csrf", csrf ?? browser.csrf), ("sec-fetch-site", site)]
        if let session { headers.append(("x-byoky-session", session)) }
        if body != nil { headers.append(("content-type", "application/json")) }
        // Browsers send Origin on same-origin POSTs, not on GETs.
        return try await browser.send(method, path, headers: headers, origin: method == .GET ? nil : "", rawBody: body)
    }

    static let streamingMessage =
        #"{"model":"claude-sonnet-4-6","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#

    @Test func anInstalledAppIsTrustedForItsDeclaredProvidersOnly() async throws {
        try await Self.withCatalogue(name: "Trusted <img src=x onerror=alert(1)> Chat") { catalogue, _ in
            try await BridgeFixture.with(appCatalogueURL: catalogue) { bridge in
                let browser = try await WalletPageTests.Browser.loggedIn(bridge)

                // The store lists the approved app only, its name as text.
                let store = try await browser.send(.GET, "/wallet/store")
                #expect(store.status == 200)
                #expect(store.text.contains("Trusted &lt;img src=x onerror=alert(1)&gt; Chat"))
                #expect(!store.text.contains("<img src=x"))
                #expect(store.text.contains("/wallet/store/install?slug=trusted-chat"))
                #expect(!store.text.contains("waiting-app"))
                let confirm = try await browser.send(.GET, "/wallet/store/install?slug=trusted-chat")
                #expect(confirm.text.contains("This app will be trusted to use: Anthropic."))
                #expect(confirm.text.contains("Install Trusted &lt;img") && !confirm.text.contains("<img src=x"))
                #expect(confirm.text.contains("Answers &lt;b&gt;with&lt;/b&gt; your own wallet."))

                // Before the install, its connects wait for the owner.
                #expect(try await Self.connect(bridge)["status"] as? String == "pending")

                // A form that asks for more than the catalogue declares is refused; the real one installs.
                let widened = try await browser.post(
                    "/wallet/store/install",
                    [("slug", "trusted-chat"), ("providers", "anthropic"), ("providers", "openai")]
                )
                #expect(widened.status == 400)
                #expect(try await bridge.wallet.installedApps().isEmpty)
                let installed = try await browser.post(
                    "/wallet/store/install",
                    [("slug", "trusted-chat"), ("providers", "anthropic")]
                )
                #expect(installed.header("location") == "/wallet/store?done=app-installed")
                let app = try #require(try await bridge.wallet.installedApps().first)
                #expect(app.origin == Self.appOrigin && app.providerIDs == [.anthropic])

                // Its origin is approved at once, for the declared provider only, under the installed name.
                let approved = try await Self.connect(bridge)
                #expect(approved["status"] as? String == "approved")
                let session = try #require(approved["session"] as? [String: Any])
                let key = try #require(session["sessionKey"] as? String)
                let offered = try #require(session["providers"] as? [String: Any])
                #expect(Set(offered.keys) == ["anthropic"])
                #expect(try await bridge.wallet.sessionSummaries().first?.app == app.name)
                let direct = try await bridge.send(
                    .POST,
                    "/anthropic/v1/messages",
                    body: Self.streamingMessage,
                    headers: [("x-api-key", key), ("origin", Self.appOrigin)]
                )
                #expect(direct.status == 200 && direct.text.contains("message_stop"))
                let undeclared = try await Self.connect(bridge, providers: #"[{"id":"openai","required":true}]"#)
                #expect(undeclared["status"] as? String == "denied")
                #expect((undeclared["error"] as? [String: Any])?["code"] as? String == "PROVIDER_UNAVAILABLE")
                #expect(
                    try await Self.connect(bridge, origin: "http://127.0.0.1:8125")["status"] as? String == "pending"
                )

                // The hosting page: the sandboxed frame, and nothing else framed.
                let host = try await browser.send(.GET, "/wallet/store/trusted-chat/open")
                #expect(host.status == 200)
                #expect(host.header("content-security-policy")?.contains("frame-src \(Self.appOrigin);") == true)
                #expect(host.text.contains(#"sandbox="allow-scripts allow-forms""#))
                #expect(!host.text.contains("allow-same-origin"))
                #expect(host.text.contains("src=\"\(Self.appOrigin)/chat/#byoky-hosted=1\""))
                #expect(!host.text.contains("<img src=x") && host.text.contains("title=\"Trusted &lt;img"))
                #expect(
                    try await browser.send(.GET, "/wallet/store").header("content-security-policy")?
                        .contains("frame-src") == false
                )

                // The page's script connects for the app; nothing without the page's token or cookie.
                let refused = try await Self.hosted(
                    browser,
                    .POST,
                    "/wallet/store/trusted-chat/connect",
                    body: #"{"providers":[{"id":"anthropic"}]}"#,
                    csrf: "forged"
                )
                #expect(refused.status == 401)
                let crossSite = try await Self.hosted(
                    browser,
                    .POST,
                    "/wallet/store/trusted-chat/connect",
                    body: #"{"providers":[{"id":"anthropic"}]}"#,
                    site: "cross-site"
                )
                #expect(crossSite.status == 401)
                let hostedConnect = try await Self.hosted(
                    browser,
                    .POST,
                    "/wallet/store/trusted-chat/connect",
                    body: #"{"providers":[{"id":"anthropic"},{"id":"openai"}]}"#
                )
                #expect(hostedConnect.json["status"] as? String == "approved")
                let hostedKey = try #require(
                    (hostedConnect.json["session"] as? [String: Any])?["sessionKey"] as? String
                )
                let streamed = try await Self.hosted(
                    browser,
                    .POST,
                    "/wallet/store/trusted-chat/proxy/anthropic/v1/messages",
                    body: Self.streamingMessage,
                    session: hostedKey
                )
                #expect(streamed.status == 200)
                #expect(streamed.text.contains("content_block_delta") && streamed.text.contains("message_stop"))
                let other = try await Self.hosted(
                    browser,
                    .POST,
                    "/wallet/store/trusted-chat/proxy/openai/v1/chat/completions",
                    body: #"{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"#,
                    session: hostedKey
                )
                #expect(other.status == 403)
                #expect((other.json["error"] as? [String: Any])?["type"] != nil)
                // A program's session (no origin) is not the app's, even through its page.
                let program = try await Self.hosted(
                    browser,
                    .POST,
                    "/wallet/store/trusted-chat/proxy/anthropic/v1/messages",
                    body: Self.streamingMessage,
                    session: bridge.sessionKey
                )
                #expect(program.status == 403)
                let usage = try await Self.hosted(browser, .GET, "/wallet/store/trusted-chat/usage", session: hostedKey)
                // The answered request and the refused one are both on the app's record.
                #expect(usage.json["requests"] as? Int == 2)
                let byProvider = usage.json["byProvider"] as? [String: [String: Any]]
                #expect(byProvider?["anthropic"]?["requests"] as? Int == 1)

                // Turned off: its sessions stop at once and its origin is asked about again.
                let off = try await browser.post("/wallet/store/trusted-chat/disable")
                #expect(off.header("location") == "/wallet/store?done=app-disabled")
                let afterOff = try await bridge.send(
                    .POST,
                    "/anthropic/v1/messages",
                    body: Self.streamingMessage,
                    headers: [("x-api-key", key), ("origin", Self.appOrigin)]
                )
                #expect(afterOff.status == 401)
                let hostedOff = try await Self.hosted(
                    browser,
                    .POST,
                    "/wallet/store/trusted-chat/proxy/anthropic/v1/messages",
                    body: Self.streamingMessage,
                    session: hostedKey
                )
                #expect(hostedOff.status == 403)
                #expect(try await Self.connect(bridge)["status"] as? String == "pending")
                #expect(
                    try await browser.send(.GET, "/wallet/store/trusted-chat/open").header("location")
                        == "/wallet/store"
                )

                // On again, then uninstalled over the control socket (as `byoky apps uninstall`).
                _ = try await browser.post("/wallet/store/trusted-chat/enable")
                let again = try await Self.connect(bridge)
                #expect(again["status"] as? String == "approved")
                let removed = try await bridge.control(.DELETE, "/apps/trusted-chat")
                #expect(removed.json["revoked"] as? Int == 1)
                #expect(try await bridge.wallet.installedApps().isEmpty)
                #expect(try await Self.connect(bridge)["status"] as? String == "pending")
                #expect(try await bridge.control(.DELETE, "/apps/trusted-chat").status == 404)
                #expect(bridge.upstreamRequests.withLock { $0.allSatisfy(\.carriedKey) })
            }
        }
    }

    @Test func unsafeCatalogueEntriesAreNotInstalled() async throws {
        try await BridgeFixture.with { bridge in
            func entry(slug: String = "an-app", url: String, providers: [String] = ["anthropic"]) -> CatalogueApp {
                CatalogueApp(
                    id: "1",
                    slug: slug,
                    name: "An App",
                    url: url,
                    origin: "https://claimed.example",
                    iconURL: "",
                    description: "",
                    category: .chat,
                    providers: providers,
                    authorName: "A",
                    authorWebsite: nil,
                    approvedAt: 0
                )
            }
            for url in ["http://example.com/", "file:///etc/passwd", "javascript:alert(1)", "ftp://example.com/"] {
                await #expect(throws: ByokyError.self) {
                    try await bridge.wallet.install(entry(url: url), from: "https://market.example")
                }
            }
            await #expect(throws: ByokyError.self) {
                try await bridge.wallet.install(entry(url: "https://a.example/", providers: ["nope"]), from: "m")
            }
            await #expect(throws: ByokyError.self) {
                try await bridge.wallet.install(entry(slug: "../x", url: "https://a.example/"), from: "m")
            }
            // The origin is the address's own, whatever the catalogue claimed.
            let app = try await bridge.wallet.install(entry(url: "https://a.example/app?x=1"), from: "m")
            #expect(app.origin == "https://a.example")
            await #expect(throws: ByokyError.self) {
                try await bridge.wallet.install(entry(slug: "other-app", url: "https://a.example/b"), from: "m")
            }
            // A loopback app (a developer's own) may be http.
            let local = try await bridge.wallet.install(
                entry(slug: "local-app", url: "http://localhost:5173/"),
                from: "m"
            )
            #expect(local.origin == "http://localhost:5173")
        }
    }
}
