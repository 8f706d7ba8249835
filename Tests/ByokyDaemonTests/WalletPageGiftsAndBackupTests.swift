import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyStore
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The Gifts, Backup and Settings pages over real HTTP: gifts made, shown (link and QR code),
/// revoked, redeemed and removed; a backup downloaded and uploaded again; auto-lock changed.
@Suite(.timeLimit(.minutes(3)))
struct WalletPageGiftsAndBackupTests {
    typealias Browser = WalletPageTests.Browser

    @Test func giftsAreMadeSharedRevokedAndRedeemedFromThePage() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let key = try #require(try await bridge.wallet.credentials().first { $0.provider == .anthropic })
            func make(_ changes: [(String, String)] = []) async throws -> BridgeFixture.Exchange {
                var fields = [
                    ("key", key.id), ("budget", "5000"), ("expires", "7d"), ("label", "<b>Ann</b>"),
                    ("relay", "ws://127.0.0.1:9"),
                ]
                for (name, value) in changes {
                    fields.removeAll { $0.0 == name }
                    fields.append((name, value))
                }
                return try await browser.post("/wallet/gifts", fields)
            }
            // Refusals name the problem and make nothing.
            #expect(try await make([("budget", "lots")]).status == 400)
            #expect(try await make([("budget", "0")]).text.contains("A gift&#39;s budget must be 1 to"))
            #expect(try await make([("expires", "forever")]).status == 400)
            #expect(try await make([("key", "no-such-key")]).status == 404)
            #expect(try await make([("relay", "http://relay.example")]).status == 400)
            #expect(try await bridge.wallet.gifts().isEmpty)

            let made = try await make()
            #expect(made.status == 303)
            let gift = try #require(try await bridge.wallet.gifts().first)
            #expect(made.header("location") == "/wallet/gifts/\(gift.id)?done=gift-created")
            #expect(gift.maxTokens == 5000)
            #expect(gift.label == "<b>Ann</b>")
            #expect(gift.relayURL == "ws://127.0.0.1:9")

            // The gift's page shows its link as text and as a QR code; its label stays text.
            let link = try bridge.wallet.link(for: gift).url()
            let detail = try await browser.send(.GET, "/wallet/gifts/\(gift.id)?done=gift-created")
            #expect(detail.status == 200)
            #expect(detail.text.contains(link))
            #expect(detail.text.contains("<svg"))
            #expect(detail.text.contains("&lt;b&gt;Ann&lt;/b&gt;"))
            #expect(!detail.text.contains("<b>Ann</b>"))
            #expect(detail.text.contains("Gift made."))
            #expect(detail.header("cache-control") == "no-store")
            // The list shows the budget, not the link.
            let list = try await browser.send(.GET, "/wallet/gifts")
            #expect(list.text.contains("data-gift=\"\(gift.id)\""))
            #expect(list.text.contains("<span class=\"remaining\">5000</span>"))
            #expect(!list.text.contains(link))

            // Redeemed (into the same wallet, which is enough for the page), listed, refused twice.
            let garbage = try await browser.post("/wallet/gifts/redeem", [("link", "not a link")])
            #expect(garbage.status == 400)
            #expect(garbage.text.contains("not a byoky gift link"))
            let redeemed = try await browser.post("/wallet/gifts/redeem", [("link", link)])
            #expect(redeemed.header("location") == "/wallet/gifts?done=gift-redeemed")
            let received = try await browser.send(.GET, "/wallet/gifts")
            #expect(received.text.contains("data-received=\"\(gift.id)\""))
            let twice = try await browser.post("/wallet/gifts/redeem", [("link", link)])
            #expect(twice.status == 400)
            #expect(twice.text.contains("already redeemed"))

            let revoked = try await browser.post("/wallet/gifts/\(gift.id)/revoke")
            #expect(revoked.header("location") == "/wallet/gifts?done=gift-revoked")
            #expect(try await bridge.wallet.gift(gift.id).revokedAt != nil)
            let after = try await browser.send(.GET, "/wallet/gifts")
            #expect(after.text.contains("<span class=\"status\">revoked</span>"))
            #expect(!after.text.contains("/wallet/gifts/\(gift.id)/revoke"))

            let removed = try await browser.post("/wallet/gifts/received/\(gift.id)/remove")
            #expect(removed.header("location") == "/wallet/gifts?done=gift-removed")
            #expect(try await bridge.wallet.receivedGifts().isEmpty)
            #expect(try await browser.post("/wallet/gifts/received/\(gift.id)/remove").status == 404)
        }
    }

    @Test func aBackupDownloadsWithItsOwnPasswordAndUploadsBack() async throws {
        try await BridgeFixture.with { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let password = "Backup-Password-2026-x"
            let weak = try await browser.post("/wallet/backup/export", [("password", "short"), ("confirm", "short")])
            #expect(weak.status == 400)
            #expect(weak.text.contains("too weak"))
            let differ = try await browser.post(
                "/wallet/backup/export",
                [("password", password), ("confirm", password + "!")]
            )
            #expect(differ.status == 400)

            let exported = try await browser.post(
                "/wallet/backup/export",
                [("password", password), ("confirm", password)]
            )
            #expect(exported.status == 200)
            let disposition = try #require(exported.header("content-disposition"))
            #expect(disposition.hasPrefix("attachment; filename=\"byoky-vault-"))
            #expect(disposition.hasSuffix(".byoky\""))
            #expect(!exported.text.contains(BridgeFixture.canary))
            let backup = try ByokyBackupFile.open(exported.text, password: password)
            #expect(backup.credentials.count == 4)
            #expect(backup.credentials.allSatisfy { $0.secret.exposedValue == BridgeFixture.canary })

            // One key gone; the upload brings it back and keeps the three still there.
            let gone = try #require(try await bridge.wallet.credentials().first)
            try await bridge.wallet.removeCredential(gone.id)
            let wrong = try await browser.upload(
                "/wallet/backup/import",
                fields: [("password", "not-the-password")],
                file: exported.body
            )
            #expect(wrong.status >= 400)
            #expect(try await bridge.wallet.credentials().count == 3)
            let imported = try await browser.upload(
                "/wallet/backup/import",
                fields: [("password", password)],
                file: exported.body
            )
            #expect(imported.status == 200)
            #expect(imported.text.contains("Imported 1 key(s); 3 already in the wallet."))
            #expect(try await bridge.wallet.credentials().count == 4)
            #expect(!imported.text.contains(password))

            // An upload without the page's CSRF token changes nothing.
            var stale = browser
            stale.csrf = "stale"
            let refused = try await stale.upload(
                "/wallet/backup/import",
                fields: [("password", password)],
                file: exported.body
            )
            #expect(refused.status == 403)
        }
    }

    /// Every form the wallet page posts, read from its routes' source so a new one cannot be
    /// missed: from another page (even one holding the owner's cookie and a valid token) or
    /// without the token, each is refused and nothing changes.
    @Test func everyOwnerEndpointRefusesOtherPagesAndMissingTokens() async throws {
        let source = try ["WalletPageRoutes.swift", "WalletPageRoutes+CloudSync.swift"].map { file in
            try String(
                contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                    .appendingPathComponent("../../Sources/ByokyDaemon/WalletPage/" + file).path,
                encoding: .utf8
            )
        }.joined()
        let paths = source.matches(of: /router\.post\("([^"]+)"\)/).map { String($0.output.1) }
        #expect(paths.count >= 27)
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            let browser = try await Browser.loggedIn(bridge)
            let key = try #require(try await bridge.wallet.credentials().first)
            let (gift, link) = try await bridge.wallet.createGift(
                key: key.id,
                budget: 100,
                lifetime: 3_600_000,
                relayURL: "ws://127.0.0.1:9"
            )
            try await bridge.wallet.redeemGift(link: link.url())
            let session = try #require(try await bridge.wallet.sessionSummaries().first)
            func snapshot() async throws -> String {
                let wallet = bridge.wallet
                return [
                    "\(try await wallet.credentials().map(\.label))", "\(try await wallet.gifts().map(\.revokedAt))",
                    "\(try await wallet.receivedGifts().count)", "\(try await wallet.groupSummaries().count)",
                    "\(try await wallet.sessionSummaries().map(\.revoked))",
                    "\(try await wallet.autoLockMinutes() ?? -1)",
                    "\(wallet.isUnlocked)", "\(wallet.vaultLogin()?.url ?? "no vault")",
                ].joined(separator: " ")
            }
            let before = try await snapshot()
            for template in paths {
                let path = template.replacingOccurrences(
                    of: "{id}",
                    with: template.contains("gifts") ? gift.id : session.id
                )
                .replacingOccurrences(of: "{key}", with: key.id)
                let fields = [
                    ("label", "planted"), ("provider", "mistral"), ("secret", "sk-planted-123456"), ("minutes", "1"),
                    ("link", link.url()), ("name", "planted"), ("app", "Bridge test"), ("tokens", "1"),
                    ("password", "Planted-Password-2026"), ("confirm", "Planted-Password-2026"),
                    ("vault", "http://127.0.0.1:9"), ("username", "planted"), ("mode", "signup"),
                ]
                let foreign = try await browser.send(
                    .POST,
                    path,
                    form: [("csrf", browser.csrf)] + fields,
                    origin: WalletPageTests.otherPage
                )
                #expect(foreign.status == 403, "\(path) from another page: \(foreign.status)")
                if path != "/wallet/login" {
                    let tokenless = try await browser.send(.POST, path, form: fields)
                    #expect(tokenless.status == 403, "\(path) without the token: \(tokenless.status)")
                }
            }
            #expect(try await snapshot() == before)
            #expect(try await browser.send(.GET, "/wallet/keys").status == 200)
        }
    }

    @Test func autoLockIsChangedFromSettingsAndRemembered() async throws {
        try await BridgeFixture.with(autoLockAfter: .seconds(20 * 60)) { bridge in
            let browser = try await Browser.loggedIn(bridge)
            #expect(
                try await browser.send(.GET, "/wallet/settings").text.contains("<strong id=\"auto-lock\">20</strong>")
            )
            #expect(try await browser.post("/wallet/settings/auto-lock", [("minutes", "-1")]).status == 400)
            #expect(try await browser.post("/wallet/settings/auto-lock", [("minutes", "soon")]).status == 400)
            let set = try await browser.post("/wallet/settings/auto-lock", [("minutes", "5")])
            #expect(set.header("location") == "/wallet/settings?done=auto-lock-set")
            #expect(try await bridge.wallet.autoLockMinutes() == 5)
            #expect(
                try await browser.send(.GET, "/wallet/settings").text.contains("<strong id=\"auto-lock\">5</strong>")
            )
            _ = try await browser.post("/wallet/settings/auto-lock", [("minutes", "0")])
            #expect(try await bridge.wallet.autoLockMinutes() == 0)
            #expect(
                try await browser.send(.GET, "/wallet/settings").text.contains(
                    "<strong id=\"auto-lock\">never</strong>"
                )
            )
        }
    }
}

extension WalletPageTests.Browser {
    /// A `multipart/form-data` post, as a form with a file field sends it (CSRF token included).
    func upload(_ path: String, fields: [(String, String)], file: [UInt8]) async throws -> BridgeFixture.Exchange {
        let boundary = "----byoky-test-\(UInt64.random(in: 0...UInt64.max))"
        var body: [UInt8] = []
        for (name, value) in [("csrf", csrf)] + fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"backup.byoky\"\r\n".utf8
        )
        body +=
            Array("Content-Type: application/octet-stream\r\n\r\n".utf8) + file + Array("\r\n--\(boundary)--\r\n".utf8)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)\(path)")
        request.method = .POST
        request.headers.add(name: "origin", value: origin)
        if let cookie { request.headers.add(name: "cookie", value: "byoky_owner=\(cookie)") }
        request.headers.add(name: "content-type", value: "multipart/form-data; boundary=\(boundary)")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await Self.client.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 4 * 1024 * 1024)
        return BridgeFixture.Exchange(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Array(collected.readableBytesView)
        )
    }
}
