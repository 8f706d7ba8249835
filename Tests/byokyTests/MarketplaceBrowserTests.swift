import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// The token board in a real headless Chromium against a real `byoky-marketplace`: cards with
/// online dots (one giver silent past the window), a hostile display name as text, the countdown
/// ticking, the provider filter, a heartbeat turning a dot green without a reload, the redemption
/// page's QR code read back by zbarimg, and dark mode. Driven by `Tests/Interop/marketplace_board.py`.
@Suite(.timeLimit(.minutes(5)))
struct MarketplaceBrowserTests {
    static let expectedChecks = [
        "board.cards", "board.hostile", "board.countdown", "board.filter", "board.refresh", "board.qr", "board.dark",
        "catalogue.cards", "catalogue.filter",
    ]

    static func link(provider: ProviderID, expiresIn: Int64) -> String {
        GiftLink(
            giftID: SecureRandom.uuid(),
            provider: provider,
            senderLabel: "giver",
            authToken: "gft_" + SecureRandom.base64URLToken(byteCount: 16),
            maxTokens: 25_000,
            expiresAt: Int64(Date().timeIntervalSince1970 * 1000) + expiresIn,
            relayURL: "wss://relay.example",
            roomID: RelaySealing.roomID(senderKey: SecureRandom.base64URLToken(byteCount: 32)),
            publicKey: RelaySealing.generateKeyPair().publicKey
        ).url()
    }

    @Test(.enabled(if: BrowserSDKTests.isEnabled))
    func aVisitorUsesTheBoardInChromium() async throws {
        try await TemporaryFolder.with { folder in
            let adminTokenFile = folder.path + "/admin.token"
            try SecureRandom.base64URLToken(byteCount: 24).write(
                toFile: adminTokenFile,
                atomically: true,
                encoding: .utf8
            )
            let board = try CommandLineTests.server(
                "byoky-marketplace",
                "--data",
                folder.path + "/data",
                "--online-seconds",
                "5",
                "--admin-token-file",
                adminTokenFile,
                "--submissions-per-minute",
                "20"
            )
            defer { board.killAbruptly() }
            let port = try await board.announcedPort()
            let gifts: [[String: String]] = [
                [
                    "link": Self.link(provider: .anthropic, expiresIn: 5 * 86_400_000),
                    "name": #"<img src=x onerror="window.pwned = 1">"#, "provider": "anthropic",
                ],
                [
                    "link": Self.link(provider: .anthropic, expiresIn: 2 * 86_400_000), "name": "Ana",
                    "provider": "anthropic",
                ],
                ["link": Self.link(provider: .openai, expiresIn: 30 * 60_000), "name": "Bo", "provider": "openai"],
            ]
            let giftsFile = folder.path + "/gifts.json"
            try JSONSerialization.data(withJSONObject: gifts).write(to: URL(fileURLWithPath: giftsFile))
            let screenshots = ProcessInfo.processInfo.environment["BYOKY_SCREENSHOTS"] ?? folder.path + "/screenshots"
            let output = try await PythonInterop.runScript(
                "marketplace_board.py",
                arguments: [
                    "--board", "http://127.0.0.1:\(port)", "--gifts", giftsFile, "--admin-token-file", adminTokenFile,
                    "--screenshots", screenshots,
                ]
            )
            _ = try DriverReport.checks(in: output, expecting: Self.expectedChecks)
            for name in [
                "board", "board-phone", "board-redeem", "board-redeem-phone", "board-dark", "catalogue",
                "catalogue-phone",
            ] {
                #expect(FileManager.default.fileExists(atPath: "\(screenshots)/\(name).png"), "no \(name).png")
            }
            await board.terminate()
        }
    }
}
