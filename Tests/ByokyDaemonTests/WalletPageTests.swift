import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyStore
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The owner's web page over real HTTP: one-time login links, the cookie, and the defences that
/// keep other pages (including ones on other loopback ports, which share cookies) and apps out.
@Suite(.timeLimit(.minutes(3)))
struct WalletPageTests {
    static let otherPage = "http://127.0.0.1:8123"

    /// An HTTP client that shows redirects instead of following them, like a test of a browser's view.
    struct Browser: Sendable {
        let bridge: BridgeFixture
        var cookie: String?
        var csrf = ""

        var origin: String { "http://127.0.0.1:\(bridge.port)" }

        func send(
            _ method: HTTPMethod,
            _ path: String,
            form: [(String, String)]? = nil,
            headers: [(String, String)] = [],
            origin: String? = "",
            cookie: String? = nil,
            rawBody: String? = nil
        ) async throws -> BridgeFixture.Exchange {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)\(path)")
            request.method = method
            if let origin { request.headers.add(name: "origin", value: origin.isEmpty ? self.origin : origin) }
            if let value = cookie ?? self.cookie { request.headers.add(name: "cookie", value: "byoky_owner=\(value)") }
            for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
            if let form {
                request.headers.add(name: "content-type", value: "application/x-www-form-urlencoded")
                let encoded = form.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
                request.body = .bytes(ByteBuffer(string: encoded))
            }
            if let rawBody { request.body = .bytes(ByteBuffer(string: rawBody)) }
            let response = try await Self.client.execute(request, timeout: .seconds(30))
            let collected = try await response.body.collect(upTo: 4 * 1024 * 1024)
            return BridgeFixture.Exchange(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(collected.readableBytesView)
            )
        }

        static let client: HTTPClient = {
            var configuration = HTTPClient.Configuration()
            configuration.redirectConfiguration = .disallow
            return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        }()

        static func escape(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        }

        /// A form post from the wallet's own page, with the CSRF token.
        func post(_ path: String, _ fields: [(String, String)] = []) async throws -> BridgeFixture.Exchange {
            try await send(.POST, path, form: [("csrf", csrf)] + fields)
        }

        /// Logs in with a fresh `byoky open` link; reads the CSRF token off a page.
        static func loggedIn(_ bridge: BridgeFixture) async throws -> Browser {
            var browser = Browser(bridge: bridge)
            let token = try #require(try await bridge.control(.POST, "/owner-login").json["token"] as? String)
            let login = try await browser.send(.POST, "/wallet/login", form: [("token", token)])
            #expect(login.status == 303)
            let setCookie = try #require(login.header("set-cookie"))
            let cookie: String = try #require(Self.cookieValue(setCookie))
            browser.cookie = cookie
            let page = try await browser.send(.GET, "/wallet/keys")
            browser.csrf = try #require(Self.csrfToken(in: page.text))
            return browser
        }

        static func cookieValue(_ setCookie: String) -> String? {
            guard setCookie.hasPrefix("byoky_owner="), let end = setCookie.firstIndex(of: ";") else { return nil }
            let value = String(setCookie[setCookie.index(setCookie.startIndex, offsetBy: 12)..<end])
            return value.isEmpty ? nil : value
        }

        static func csrfToken(in page: String) -> String? {
            guard let range = page.range(of: #"name="csrf" value=""#) else { return nil }
            return String(page[range.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func aLoginLinkWorksOnceAndOnlyFromTheWalletsOwnPage() async throws {
        try await BridgeFixture.with { bridge in
            let browser = Browser(bridge: bridge)
            let answer = try await bridge.control(.POST, "/owner-login")
            let token = try #require(answer.json["token"] as? String)
            #expect(answer.json["url"] as? String == "http://127.0.0.1:\(bridge.port)/wallet/login#\(token)")

            // Another page (another loopback port shares the cookie jar) cannot redeem it.
            let foreign = try await browser.send(
                .POST,
                "/wallet/login",
                form: [("token", token)],
                origin: Self.otherPage
            )
            #expect(foreign.status == 403)
            #expect(foreign.header("set-cookie") == nil)
            let noOrigin = try await browser.send(.POST, "/wallet/login", form: [("token", token)], origin: nil)
            #expect(noOrigin.status == 403)

            let login = try await browser.send(.POST, "/wallet/login", form: [("token", token)])
            #expect(login.status == 303)
            #expect(login.header("location") == "/wallet/requests")
            let cookie = try #require(login.header("set-cookie"))
            for attribute in ["HttpOnly", "SameSite=Strict", "Path=/wallet"] { #expect(cookie.contains(attribute)) }

            let again = try await browser.send(.POST, "/wallet/login", form: [("token", token)])
            #expect(again.status == 401)
            #expect(again.text.contains("byoky open"))
            let made = try await browser.send(.POST, "/wallet/login", form: [("token", "made-up")])
            #expect(made.status == 401)
        }
    }

    @Test func pagesCarryAStrictPolicyAndNeedTheOwnersCookieNotAnAppKey() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let page = try await browser.send(.GET, "/wallet/keys")
            #expect(page.status == 200)
            #expect(page.header("content-type") == "text/html; charset=utf-8")
            let policy = try #require(page.header("content-security-policy"))
            for part in ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "form-action 'self'"] {
                #expect(policy.contains(part))
            }
            #expect(!policy.contains("unsafe"))
            #expect(page.header("x-frame-options") == "DENY")
            #expect(page.header("referrer-policy") == "no-referrer")
            #expect(page.header("cache-control") == "no-store")
            #expect(!page.text.contains("<script>"))
            // The page lists keys masked: the secret never comes back.
            #expect(!page.text.contains(BridgeFixture.canary))

            let anonymous = Browser(bridge: bridge)
            for path in ["/wallet/requests", "/wallet/keys", "/wallet/apps", "/wallet/requests/live"] {
                let answer = try await anonymous.send(
                    .GET,
                    path,
                    headers: [("x-api-key", bridge.sessionKey), ("authorization", "Bearer \(bridge.sessionKey)")]
                )
                #expect(answer.status == 401, "\(path)")
                #expect(!answer.text.contains("sk-"), "\(path)")
            }
            let before = try await bridge.wallet.credentials().count
            let withAppKey = try await anonymous.send(
                .POST,
                "/wallet/keys",
                form: [("provider", "openai"), ("secret", "sk-planted")],
                headers: [("x-api-key", bridge.sessionKey), ("authorization", "Bearer \(bridge.sessionKey)")]
            )
            #expect(withAppKey.status == 401)
            #expect(try await bridge.wallet.credentials().count == before)
        }
    }

    @Test func aStateChangeNeedsTheWalletsOriginAndTheCSRFToken() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let before = try await bridge.wallet.credentials().count
            let fields = [("provider", "mistral"), ("label", "planted"), ("secret", "sk-planted-123456")]
            let attempts: [(String, BridgeFixture.Exchange)] = [
                (
                    "another page",
                    try await browser.send(
                        .POST,
                        "/wallet/keys",
                        form: [("csrf", browser.csrf)] + fields,
                        origin: Self.otherPage
                    )
                ),
                (
                    "no origin",
                    try await browser.send(.POST, "/wallet/keys", form: [("csrf", browser.csrf)] + fields, origin: nil)
                ),
                (
                    "cross-site fetch",
                    try await browser.send(
                        .POST,
                        "/wallet/keys",
                        form: [("csrf", browser.csrf)] + fields,
                        headers: [("sec-fetch-site", "same-site")]
                    )
                ),
                (
                    "an opaque origin",
                    try await browser.send(
                        .POST,
                        "/wallet/keys",
                        form: [("csrf", browser.csrf)] + fields,
                        origin: "null"
                    )
                ),
                (
                    "an opaque cross-site origin",
                    try await browser.send(
                        .POST,
                        "/wallet/keys",
                        form: [("csrf", browser.csrf)] + fields,
                        headers: [("sec-fetch-site", "cross-site")],
                        origin: "null"
                    )
                ),
                ("no token", try await browser.send(.POST, "/wallet/keys", form: fields)),
                (
                    "a wrong token",
                    try await browser.send(.POST, "/wallet/keys", form: [("csrf", "x" + browser.csrf)] + fields)
                ),
                (
                    "a rebinding host",
                    try await browser.send(
                        .POST,
                        "/wallet/keys",
                        form: [("csrf", browser.csrf)] + fields,
                        headers: [("host", "evil.example:\(bridge.port)")],
                        origin: "http://evil.example:\(bridge.port)"
                    )
                ),
            ]
            for (name, answer) in attempts {
                #expect(answer.status == 403, "\(name): \(answer.status)")
            }
            #expect(try await bridge.wallet.credentials().count == before)

            // The page's own form post: with `Referrer-Policy: no-referrer` Chromium sends `Origin: null`
            // beside `Sec-Fetch-Site: same-origin`.
            let added = try await browser.send(
                .POST,
                "/wallet/keys",
                form: [("csrf", browser.csrf)] + fields,
                headers: [("sec-fetch-site", "same-origin")],
                origin: "null"
            )
            #expect(added.status == 303)
            #expect(added.header("location") == "/wallet/keys?done=key-added")
            let keys = try await bridge.wallet.credentials()
            #expect(keys.count == before + 1)
            let page = try await browser.send(.GET, "/wallet/keys?done=key-added")
            #expect(page.text.contains("Key added"))
            #expect(page.text.contains("planted"))
            #expect(!page.text.contains("sk-planted-123456"))
            // What was pasted around a key is refused, with the reason on the page, and not stored.
            let pasted = try await browser.post(
                "/wallet/keys",
                [("provider", "openai"), ("label", "pasted"), ("secret", "export OPENAI_API_KEY=sk-planted-9")]
            )
            #expect(pasted.text.contains("The key has a space, line break or control character"), "\(pasted.status)")
            #expect(!pasted.text.contains("sk-planted-9"))
            #expect(try await bridge.wallet.credentials().count == before + 1)
            // A notice is named by a code: a crafted one shows nothing.
            let crafted = try await browser.send(.GET, "/wallet/keys?done=Send+your+password+to+evil.example")
            #expect(!crafted.text.contains("evil.example"))

            let rebindingPage = try await browser.send(.GET, "/wallet/keys", headers: [("host", "evil.example")])
            #expect(rebindingPage.status == 403)
        }
    }

    @Test func theOwnerApprovesASubsetAndAHostileNameStaysText() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let hostile = #"<img src=x onerror=alert(1)>"#
            let body = """
                {"app":{"name":"\(hostile)"},"providers":[{"id":"anthropic","required":true},{"id":"openai"}]}
                """
            let ticket = try await bridge.send(.POST, "/v1/connect", body: body)
            let id = try #require(ticket.json["requestId"] as? String)
            let page = try await browser.send(.GET, "/wallet/requests")
            #expect(page.text.contains("&lt;img src=x onerror=alert(1)&gt;"))
            #expect(!page.text.contains(hostile))
            let live = try await browser.send(.GET, "/wallet/requests/live")
            #expect(live.text.contains("data-id=\"\(id)\""))
            #expect(!live.text.contains(hostile))

            let none = try await browser.post("/wallet/requests/\(id)/approve")
            #expect(none.status == 400)
            #expect(none.text.contains("Choose at least one provider"))
            let approved = try await browser.post("/wallet/requests/\(id)/approve", [("providers", "anthropic")])
            #expect(approved.status == 303)
            let status = try await bridge.send(.GET, "/v1/connect/\(id)")
            let session = try #require(status.json["session"] as? [String: Any])
            let providers = try #require(session["providers"] as? [String: [String: Any]])
            #expect(providers["anthropic"]?["available"] as? Bool == true)
            #expect(providers["openai"]?["available"] as? Bool != true)

            let apps = try await browser.send(.GET, "/wallet/apps")
            #expect(apps.text.contains("&lt;img src=x"))
            let summaries = try await bridge.wallet.sessionSummaries()
            let created = try #require(summaries.first { $0.app == hostile })
            #expect(created.providers == ["anthropic"])
            let revoked = try await browser.post("/wallet/apps/\(created.id)/revoke")
            #expect(revoked.status == 303)
            #expect(try await bridge.wallet.sessionSummaries().first { $0.id == created.id }?.revoked == true)

            let gone = try await browser.post("/wallet/requests/\(id)/deny")
            #expect(gone.status == 404)
        }
    }

    @Test func lockingLogsBrowsersOutAndALockedWalletAsksForThePassword() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let locked = try await browser.post("/wallet/lock")
            #expect(locked.status == 200)
            #expect(locked.header("set-cookie")?.contains("Max-Age=0") == true)
            #expect(!bridge.wallet.isUnlocked)
            let after = try await browser.send(.GET, "/wallet/keys")
            #expect(after.status == 401)

            // Logged in again while locked: every page asks for the master password first.
            let again = try await Browser.loggedIn(bridge)
            let page = try await again.send(.GET, "/wallet/apps")
            #expect(page.text.contains("Unlock your wallet"))
            let wrong = try await again.post("/wallet/unlock", [("password", "not-it")])
            #expect(wrong.status == 401)
            #expect(wrong.text.contains("Wrong master password"))
            #expect(!wrong.text.contains("not-it"))
            let right = try await again.post("/wallet/unlock", [("password", "Fixture-Password-77")])
            #expect(right.status == 303)
            #expect(bridge.wallet.isUnlocked)

            let out = try await again.post("/wallet/logout")
            #expect(out.header("set-cookie")?.contains("Max-Age=0") == true)
            #expect(try await again.send(.GET, "/wallet/keys").status == 401)
        }
    }

    @Test func groupsAssignmentsAndLimitsAreManagedFromThePage() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let added = try await browser.post(
                "/wallet/routing/groups",
                [("name", "fast"), ("provider", "openai"), ("model", "gpt-4o-mini"), ("key", "")]
            )
            #expect(added.status == 303)
            #expect(try await bridge.wallet.groupSummaries().map(\.name) == ["fast"])
            let assigned = try await browser.post(
                "/wallet/routing/assign",
                [("app", "Bridge test"), ("group", "fast")]
            )
            #expect(assigned.header("location") == "/wallet/routing?done=assigned")
            let page = try await browser.send(.GET, "/wallet/routing")
            #expect(page.text.contains("translated to OpenAI Chat Completions"))
            #expect(page.text.contains("gpt-4o-mini"))
            #expect(try await bridge.wallet.groupSummaries().first?.apps == ["Bridge test"])
            let unknownGroup = try await browser.post(
                "/wallet/routing/assign",
                [("app", "Bridge test"), ("group", "nope")]
            )
            #expect(unknownGroup.status == 404)
            #expect(try await browser.post("/wallet/routing/unassign", [("app", "Bridge test")]).status == 303)
            #expect(try await bridge.wallet.groupSummaries().first?.apps == [])
            #expect(try await browser.post("/wallet/routing/groups/remove", [("name", "fast")]).status == 303)
            #expect(try await bridge.wallet.groupSummaries().isEmpty)

            let badNumber = try await browser.post("/wallet/limits", [("app", "Bridge test"), ("tokens", "lots")])
            #expect(badNumber.status == 400)
            #expect(badNumber.text.contains("whole number"))
            let set = try await browser.post(
                "/wallet/limits",
                [("app", "Bridge test"), ("tokens", "1000"), ("provider", ""), ("period", "day")]
            )
            #expect(set.status == 303)
            // A request uses some of the cap; the bar shows it.
            let message = #"{"model":"claude-test","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"#
            let sent = try await bridge.send(
                .POST,
                "/anthropic/v1/messages",
                body: message,
                headers: [bridge.authHeader(for: .anthropic)]
            )
            #expect(sent.status == 200)
            let limits = try await bridge.wallet.allowanceStatuses()
            let used = try #require(limits.first?.used)
            #expect(used > 0)
            let limitsPage = try await browser.send(.GET, "/wallet/limits")
            #expect(limitsPage.text.contains("<meter min=\"0\" max=\"1000\""))
            #expect(limitsPage.text.contains("value=\"\(used)\""))
            #expect(limitsPage.text.contains("per day (UTC)"))
            let removed = try await browser.post(
                "/wallet/limits/remove",
                [("app", "Bridge test"), ("provider", ""), ("period", "day")]
            )
            #expect(removed.status == 303)
            #expect(try await bridge.wallet.allowanceStatuses().isEmpty)
        }
    }

    @Test func pairingsAndThePasswordAreManagedFromThePage() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let garbage = try await browser.post(
                "/wallet/pairings",
                [("code", "not a code"), ("providers", "anthropic")]
            )
            #expect(garbage.status == 400)
            #expect(garbage.text.contains("not a byoky pairing code"))
            // A relay nobody runs: the pairing starts and keeps trying until it is stopped.
            let code = PairingPayload.generate(relayURL: "ws://127.0.0.1:9", appOrigin: "<b>phone app</b>").encoded()
            let started = try await browser.post("/wallet/pairings", [("code", code), ("providers", "anthropic")])
            #expect(started.status == 303)
            let item = try #require(bridge.daemon.pairings.list().first)
            let page = try await browser.send(.GET, "/wallet/pairings")
            #expect(page.text.contains("&lt;b&gt;phone app&lt;/b&gt;"))
            #expect(!page.text.contains(code))
            let stopped = try await browser.post("/wallet/pairings/\(item.id)/stop")
            #expect(stopped.status == 303)
            #expect(bridge.daemon.pairings.list().isEmpty)

            let mismatch = try await browser.post(
                "/wallet/settings/password",
                [("current", "Fixture-Password-77"), ("new", "A-New-Password-2026"), ("confirm", "Another-One-2026")]
            )
            #expect(mismatch.status == 400)
            let wrong = try await browser.post(
                "/wallet/settings/password",
                [("current", "guess"), ("new", "A-New-Password-2026"), ("confirm", "A-New-Password-2026")]
            )
            #expect(wrong.status == 401)
            #expect(!wrong.text.contains("A-New-Password-2026"))
            let changed = try await browser.post(
                "/wallet/settings/password",
                [
                    ("current", "Fixture-Password-77"), ("new", "A-New-Password-2026"),
                    ("confirm", "A-New-Password-2026"),
                ]
            )
            #expect(changed.header("location") == "/wallet/settings?done=password-changed")
            bridge.wallet.lock()
            await #expect(throws: ByokyError.self) { try await bridge.wallet.unlock(password: "Fixture-Password-77") }
            try await bridge.wallet.unlock(password: "A-New-Password-2026")
        }
    }

    @Test func theLogPagesThroughEveryMatchingEntryOnceNewestFirst() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let now = bridge.wallet.now()
            // 130 entries; several share a timestamp, so the page boundary must break ties by id.
            for index in 0..<130 {
                try await bridge.wallet.store.insert(
                    RequestLogRecord(
                        id: String(format: "entry-%03d", index),
                        sessionID: nil,
                        appName: index % 2 == 0 ? "Even <app>" : "Odd app",
                        provider: "anthropic",
                        actualProvider: "anthropic",
                        model: "claude-test",
                        method: "POST",
                        path: "/v1/messages",
                        status: index % 5 == 0 ? 429 : 200,
                        inputTokens: 10,
                        outputTokens: 5,
                        latencyMilliseconds: 12,
                        errorCode: index % 5 == 0 ? "RATE_LIMITED" : nil,
                        createdAt: now - Int64(index / 3) * 1000
                    )
                )
            }
            func walk(_ query: String) async throws -> [String] {
                var seen: [String] = []
                var path = "/wallet/log?\(query)"
                for _ in 0..<20 {
                    let page = try await browser.send(.GET, path)
                    #expect(page.status == 200)
                    #expect(!page.text.contains("<app>"))
                    seen += page.text.components(separatedBy: "<tr>").dropFirst(2).compactMap { row in
                        row.range(of: "<td data-label=\"Time\">").map { _ in row }
                    }
                    // The "Older" link: the one marked rel="next".
                    guard let marker = page.text.range(of: #"" rel="next""#),
                        let start = page.text[..<marker.lowerBound].range(of: #"href=""#, options: .backwards)
                    else { return seen }
                    path = page.text[start.upperBound..<marker.lowerBound].replacingOccurrences(of: "&amp;", with: "&")
                }
                Issue.record("the log did not end")
                return seen
            }
            let everything = try await walk("")
            #expect(everything.count == 130)
            let failedEven = try await walk("app=Even%20%3Capp%3E&outcome=failed")
            #expect(failedEven.count == 13)
            #expect(failedEven.allSatisfy { $0.contains("RATE_LIMITED") && $0.contains("Even &lt;app&gt;") })

            // Newest first, each entry once.
            let entries = try await bridge.wallet.logPage(LogFilter(), after: nil, limit: 200).entries
            #expect(
                entries.map(\.id)
                    == (0..<130).map { String(format: "entry-%03d", $0) }.sorted {
                        let a = Int($0.suffix(3))!
                        let b = Int($1.suffix(3))!
                        return a / 3 != b / 3 ? a / 3 < b / 3 : $0 > $1
                    }
            )
            var cursor: LogCursor?
            var paged: [String] = []
            repeat {
                let next = try await bridge.wallet.logPage(LogFilter(), after: cursor, limit: 50)
                paged += next.entries.map(\.id)
                cursor = next.next
            } while cursor != nil
            #expect(paged == entries.map(\.id))
            let bogus = try await browser.send(.GET, "/wallet/log?before=not-a-cursor&range=forever&outcome=x")
            #expect(bogus.status == 200)
        }
    }

    @Test func usageIsChartedPerDayWithItsNumbers() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let day: Int64 = 86_400_000
            let now = bridge.wallet.now()
            // Three days: two apps (one named with markup), two providers, some failures; one row
            // older than the range.
            let rows: [(app: String, provider: String, status: Int, tokens: Int, daysAgo: Int64)] = [
                ("Notes", "anthropic", 200, 100, 0), ("Notes", "openai", 200, 50, 0),
                ("<b>Evil</b>", "anthropic", 500, 0, 1),
                ("<b>Evil</b>", "anthropic", 200, 30, 2), ("Notes", "anthropic", 200, 7, 40),
            ]
            for (index, row) in rows.enumerated() {
                try await bridge.wallet.store.insert(
                    RequestLogRecord(
                        id: "usage-\(index)",
                        sessionID: nil,
                        appName: row.app,
                        provider: row.provider,
                        actualProvider: row.provider,
                        model: nil,
                        method: "POST",
                        path: "/v1/messages",
                        status: row.status,
                        inputTokens: row.tokens,
                        outputTokens: 0,
                        latencyMilliseconds: 5,
                        errorCode: row.status >= 400 ? "PROXY_ERROR" : nil,
                        createdAt: now - row.daysAgo * day
                    )
                )
            }
            let week = try await browser.send(.GET, "/wallet/usage?range=7d")
            #expect(week.status == 200)
            #expect(week.text.contains(#"data-total="tokens">180<"#))
            #expect(week.text.contains(#"data-total="requests">4<"#))
            #expect(week.text.contains(#"data-total="errors">1<"#))
            #expect(week.text.components(separatedBy: "<svg viewBox").count - 1 == 3)
            #expect(week.text.contains("anthropic: 100 tokens</title>"))
            #expect(week.text.contains("&lt;b&gt;Evil&lt;/b&gt;"))
            #expect(!week.text.contains("<b>Evil"))
            let quarter = try await browser.send(.GET, "/wallet/usage?range=90d")
            #expect(quarter.text.contains(#"data-total="tokens">187<"#))
            let unknown = try await browser.send(.GET, "/wallet/usage?range=forever")
            #expect(unknown.text.contains(#"data-total="tokens">180<"#))
        }
    }
}
