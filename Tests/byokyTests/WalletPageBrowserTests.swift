import ByokyCore
import ByokySDK
import ByokyTesting
import Foundation
import NIOCore
import Testing

/// The wallet's own page in a real headless Chromium against a real `byoky serve`: the owner logs
/// in with a `byoky open` link, approves a Swift SDK app and a byoky.js page (a subset of
/// providers), adds and renames a key, revokes an app, makes a gift (its QR code read back by
/// zbarimg), downloads and restores a backup, locks and unlocks; hostile pages post the
/// owner's forms, frame the page and name themselves with markup; logged in to a `byoky-vault`, the
/// owner has it serve a gift while the wallet is offline. Driven by
/// `Tests/Interop/wallet_page.py` (selenium); each named check is asserted here, and every page is
/// photographed at desktop and phone widths.
@Suite(.timeLimit(.minutes(5)))
struct WalletPageBrowserTests {
    static let expectedChecks = [
        "login.landed", "login.once", "requests.swift-app", "requests.live", "requests.hostile-name",
        "requests.subset", "keys.add", "keys.rename", "apps.revoke", "hostile.form-post", "hostile.framed",
        "routing.group", "limits.bar", "usage.chart", "gifts.qr", "gifts.copy", "gifts.online", "gifts.redeem",
        "gifts.vault", "gifts.revoke", "backup.download", "backup.roundtrip", "pages.all", "lock.unlock",
    ]

    /// A Swift app asks to connect, waits for the owner's approval on the page, then sends a request.
    static func swiftApp(bridgeURL: String) async throws -> String {
        let byoky = Byoky(
            options: .init(appName: "Swift notes app", bridgeURL: bridgeURL, connectTimeout: .seconds(120))
        )
        let session = try await byoky.connect(providers: [ProviderRequirement(id: .anthropic, required: true)])
        let body = #"{"model":"claude-test","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}"#
        let answer = try await session.createFetch(.anthropic)(
            ByokyFetch.Request(
                url: "https://api.anthropic.com/v1/messages",
                headers: [("content-type", "application/json")],
                body: Array(body.utf8)
            )
        )
        var text = ""
        for try await piece in answer.body { text += String(buffer: piece) }
        return text
    }

    @Test(.enabled(if: BrowserSDKTests.isEnabled))
    func theOwnerUsesTheWalletPageInChromium() async throws {
        try await WalletCommandTests.Home.with { home in
            let upstreamKey = "sk-upstream-page-123456"
            let serving = try await home.serveWithMock(upstreamKey: upstreamKey)
            defer { serving.mock.killAbruptly() }
            let relay = try CommandLineTests.server("byoky-relay")
            defer { relay.killAbruptly() }
            let relayPort = try await relay.announcedPort()
            let vault = try CommandLineTests.server(
                "byoky-vault",
                "--data",
                home.folder.path + "/vault",
                "--gift-key-file",
                home.folder.path + "/gift.key",
                "--password-iterations",
                "100000"
            )
            defer { vault.killAbruptly() }
            let vaultPort = try await vault.announcedPort()
            let mockPort = try await serving.mock.announcedPort()
            let walletURL = "http://127.0.0.1:\(serving.port)"
            let screenshots =
                ProcessInfo.processInfo.environment["BYOKY_SCREENSHOTS"] ?? home.folder.path + "/screenshots"
            var environment = home.environment
            environment["BYOKY_TEST_UPSTREAM_KEY"] = upstreamKey
            environment["BYOKY_TEST_MOCK_URL"] = "http://127.0.0.1:\(mockPort)"
            environment["BYOKY_TEST_RELAY_URL"] = "ws://127.0.0.1:\(relayPort)"
            environment["BYOKY_TEST_VAULT_URL"] = "http://127.0.0.1:\(vaultPort)"
            let scriptEnvironment = environment
            async let swiftAnswer = Self.swiftApp(bridgeURL: walletURL)
            let output = try await PythonInterop.runScript(
                "wallet_page.py",
                arguments: [
                    "--byoky", CommandLineTests.executable.path, "--password-file", home.passwordFile,
                    "--wallet", walletURL, "--screenshots", screenshots,
                ],
                environment: scriptEnvironment
            )
            let swiftOutcome: Result<String, any Error>
            do { swiftOutcome = .success(try await swiftAnswer) } catch { swiftOutcome = .failure(error) }
            await serving.daemon.terminate()
            _ = try DriverReport.checks(in: output, expecting: Self.expectedChecks)
            #expect((try? swiftOutcome.get())?.contains("\"type\":\"message\"") == true, "\(swiftOutcome)")
            for page in [
                "requests", "keys", "apps", "routing", "limits", "usage", "log", "gifts", "gift", "gifts-vault",
                "pairings", "backup", "settings", "unlock",
            ] {
                for suffix in ["", "-phone"] {
                    let path = "\(screenshots)/wallet-\(page)\(suffix).png"
                    #expect(FileManager.default.fileExists(atPath: path), "no \(path)")
                }
            }
        }
    }
}
