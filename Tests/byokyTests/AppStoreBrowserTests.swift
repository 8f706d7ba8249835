import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// An app's whole life in a real headless Chromium: created from a template, submitted to a real
/// `byoky-marketplace` and approved with `byoky-marketplace review`, installed from the wallet
/// page's App Store of a real `byoky serve`, opened in its sandboxed frame (connects without a
/// prompt, streams), confined (no DOM, cookies or storage of the wallet page; no undeclared
/// provider; messages from other windows ignored), turned off and uninstalled. Driven by
/// `Tests/Interop/app_store.py`.
@Suite(.timeLimit(.minutes(5)))
struct AppStoreBrowserTests {
    static let expectedChecks = [
        "app.published", "store.install", "hosted.answers", "hosted.confined", "hosted.undeclared",
        "hosted.foreign-message", "hosted.turned-off", "store.cli-and-uninstall",
    ]

    @Test(.enabled(if: BrowserSDKTests.isEnabled))
    func anAppGoesFromTemplateToTheWalletsSandbox() async throws {
        try await WalletCommandTests.Home.with { home in
            let adminTokenFile = home.folder.path + "/admin.token"
            try SecureRandom.base64URLToken(byteCount: 24).write(
                toFile: adminTokenFile,
                atomically: true,
                encoding: .utf8
            )
            let market = try CommandLineTests.server(
                "byoky-marketplace",
                "--data",
                home.folder.path + "/market",
                "--admin-token-file",
                adminTokenFile,
                "--allow-loopback-apps"
            )
            defer { market.killAbruptly() }
            let board = "http://127.0.0.1:\(try await market.announcedPort())"
            let serving = try await home.serveWithMock(
                upstreamKey: "sk-upstream-app-store-1",
                serveArguments: ["--marketplace", board]
            )
            defer { serving.mock.killAbruptly() }
            let screenshots =
                ProcessInfo.processInfo.environment["BYOKY_SCREENSHOTS"] ?? home.folder.path + "/screenshots"
            let output = try await PythonInterop.runScript(
                "app_store.py",
                arguments: [
                    "--byoky", CommandLineTests.executable.path,
                    "--marketplace-bin", AppCommandTests.sibling("byoky-marketplace").path,
                    "--board", board, "--admin-token-file", adminTokenFile,
                    "--wallet", "http://127.0.0.1:\(serving.port)", "--screenshots", screenshots,
                ],
                environment: home.environment
            )
            await serving.daemon.terminate()
            _ = try DriverReport.checks(in: output, expecting: Self.expectedChecks)
            for name in ["app-store", "app-store-install", "app-hosted"] {
                #expect(FileManager.default.fileExists(atPath: "\(screenshots)/\(name).png"), "no \(name) screenshot")
            }
        }
    }
}
