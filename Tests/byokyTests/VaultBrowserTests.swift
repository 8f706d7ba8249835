import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// byoky.js `connectViaVault` in a real headless Chromium against a real `byoky-vault`, whose
/// account a wallet filled with `byoky vault push`. Driven by `Tests/Interop/vault_browser.py`.
@Suite(.timeLimit(.minutes(4)))
struct VaultBrowserTests {
    static let expectedChecks = [
        "vault.connect", "vault.disconnect", "vault.fetch", "vault.reconnect", "vault.origin-bound", "vault.ended",
        "vault.errors",
    ]

    @Test(.enabled(if: BrowserSDKTests.isEnabled))
    func aPageConnectsThroughTheVault() async throws {
        try await TemporaryFolder.with { folder in
            let vault = try CommandLineTests.server("byoky-vault", "--data", folder.path + "/vault")
            defer { vault.killAbruptly() }
            let url = "http://127.0.0.1:\(try await vault.announcedPort())"
            try await WalletCommandTests.Home.with { home in
                let serving = try await home.serveWithMock(upstreamKey: "sk-upstream-vault-page-1")
                defer { serving.mock.killAbruptly() }
                await serving.daemon.terminate()
                let passwordFile = folder.path + "/vault-password"
                try "Vault-Page-Password-64\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
                let signed = try await home.byoky(
                    [
                        "vault", "signup", "--vault", url, "--username", "page_owner", "--vault-password-file",
                        passwordFile,
                    ]
                )
                #expect(signed.status == 0, "\(signed.stderr)")
                let pushed = try await home.byoky(["vault", "push", "--password-file", home.passwordFile])
                #expect(pushed.status == 0, "\(pushed.stderr)")
                let output = try await PythonInterop.runScript(
                    "vault_browser.py",
                    arguments: [
                        "--vault", url, "--username", "page_owner", "--password-file", passwordFile,
                        "--sdk", PythonInterop.packageRoot.appendingPathComponent("Web/sdk").path,
                    ]
                )
                _ = try DriverReport.checks(in: output, expecting: Self.expectedChecks)
            }
        }
    }
}
