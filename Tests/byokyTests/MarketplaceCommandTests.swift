import ByokyCore
import ByokyServerStore
import ByokyTesting
import Foundation
import Testing

/// The marketplace end to end with real processes: the board, a relay, the mock provider, a
/// giver's wallet that lists a gift as it creates it and keeps the board told (heartbeats, usage),
/// and a receiver who redeems from the board's address and uses the gift.
@Suite(.timeLimit(.minutes(5)))
struct MarketplaceCommandTests {
    struct BoardGift: Decodable {
        let id: String
        let gifterName: String
        let tokensUsed: Int
        let online: Bool
    }

    struct Board: Decodable {
        let active: [BoardGift]
        let expired: [BoardGift]
    }

    /// A database the board cannot use stops it at once with one line that says why, and a
    /// password is never taken from (nor repeated from) the command line.
    @Test func aDatabaseTheBoardCannotUseIsOneClearLine() async throws {
        let board = CommandLineTests.executable.deletingLastPathComponent().appendingPathComponent("byoky-marketplace")
        let withPassword = try await ProcessRunner.run(
            board,
            arguments: ["--port", "0", "--database-url", "postgres://board:hunter2-pw@127.0.0.1:1/board"]
        )
        #expect(withPassword.status != 0)
        #expect(withPassword.stderr.contains("PGPASSWORD"))
        #expect(!(withPassword.stdout + withPassword.stderr).contains("hunter2"))

        // Port 1 on loopback: nothing listens there.
        let unreachable = try await ProcessRunner.run(
            board,
            arguments: ["--port", "0", "--database-url", "postgres://board@127.0.0.1:1/board"],
            environment: ProcessInfo.processInfo.environment.merging(["PGPASSWORD": "hunter2-pw"]) { $1 }
        )
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("Cannot connect to PostgreSQL"), "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("Connection refused"), "\(unreachable.stderr)")
        #expect(!(unreachable.stdout + unreachable.stderr).contains("hunter2"))
    }

    @Test(arguments: TestDatabase.available)
    func aListedGiftIsRedeemedFromTheBoardUsedAndUnlisted(on database: TestDatabase) async throws {
        try await WalletCommandTests.Home.with { giver in
            try await WalletCommandTests.Home.with { receiver in
                let mock = try CommandLineTests.server("byoky-mock-provider")
                let relay = try CommandLineTests.server("byoky-relay")
                var storage = ["--data", giver.folder.path + "/board"]
                if case .postgres(let url, _) = try await database.freshLocation(in: giver.folder, name: "board") {
                    storage = ["--database-url", url]
                }
                let boardExecutable = CommandLineTests.executable.deletingLastPathComponent()
                    .appendingPathComponent("byoky-marketplace")
                let market = try BackgroundProcess(
                    boardExecutable,
                    arguments: ["--port", "0", "--online-seconds", "3"] + storage
                )
                let mockPort = try await mock.announcedPort()
                let relayPort = try await relay.announcedPort()
                var board = "http://127.0.0.1:\(try await market.announcedPort())"
                func read() async throws -> Board {
                    let listed = try await receiver.byoky(["marketplace", "list", "--marketplace", board, "--json"])
                    return try JSONDecoder().decode(Board.self, from: Data(listed.stdout.utf8))
                }
                func waitFor(_ condition: (Board) -> Bool) async throws -> Bool {
                    for _ in 0..<100 {
                        if condition(try await read()) { return true }
                        try await Task.sleep(for: .milliseconds(100))
                    }
                    return false
                }
                #expect(
                    try await giver.byoky(
                        [
                            "key", "add", "anthropic", "--base-url", "http://127.0.0.1:\(mockPort)", "--password-file",
                            giver.passwordFile,
                        ],
                        input: "sk-canary-MARKET-0042\n"
                    ).status == 0
                )
                let giverServe = try BackgroundProcess(
                    CommandLineTests.executable,
                    arguments: [
                        "serve", "--port", "0", "--password-file", giver.passwordFile, "--marketplace-report-seconds",
                        "1",
                    ],
                    environment: giver.environment
                )
                _ = try await giverServe.announcedPort()
                let created = try await giver.byoky([
                    "gift", "create", "--key", "Anthropic", "--budget", "50000", "--expires", "2h", "--relay",
                    "ws://127.0.0.1:\(relayPort)", "--list", "--name", "Ana", "--marketplace", board, "--json",
                ])
                #expect(created.status == 0, "\(created.stderr)")
                struct Created: Decodable { let id: String }
                let gift = try JSONDecoder().decode(Created.self, from: Data(created.stdout.utf8))
                // Listed at once, and still online past the board's 3-second window: the wallet heartbeats.
                #expect(try await waitFor { $0.active.contains { $0.id == gift.id && $0.gifterName == "Ana" } })
                try await Task.sleep(for: .seconds(4))
                #expect(try await read().active.first { $0.id == gift.id }?.online == true)

                let redeemed = try await receiver.byoky(
                    ["gift", "redeem", "--password-file", receiver.passwordFile],
                    input: "\(board)/redeem/\(gift.id)\n"
                )
                #expect(redeemed.status == 0, "\(redeemed.stderr)")
                #expect(redeemed.stdout.contains("from Ana: 50000 tokens of anthropic"))
                let receiverServe = try BackgroundProcess(
                    CommandLineTests.executable,
                    arguments: ["serve", "--port", "0", "--password-file", receiver.passwordFile],
                    environment: receiver.environment
                )
                let bridgePort = try await receiverServe.announcedPort()
                // The receiver's app is the official Anthropic SDK (its base URL and key come from `byoky exec`).
                let used = try await receiver.byoky(
                    GiftCall.exec(app: "notes", bridgePort: bridgePort, GiftCall.officialSDKOrCurl)
                )
                #expect(used.stdout.contains("status=200"), "\(used.stdout) \(used.stderr)")
                // The giver's wallet reports the usage to the board.
                #expect(try await waitFor { $0.active.first { $0.id == gift.id }.map { $0.tokensUsed > 0 } == true })

                // Revoked: off the board, and the board's address no longer redeems.
                #expect(try await giver.byoky(["gift", "revoke", String(gift.id.prefix(8))]).status == 0)
                #expect(try await waitFor { !$0.active.contains { $0.id == gift.id } })
                let again = try await receiver.byoky(
                    ["gift", "redeem", "--password-file", receiver.passwordFile],
                    input: "\(board)/redeem/\(gift.id)\n"
                )
                #expect(again.status != 0)
                #expect(again.stderr.contains("marketplace refused"), "\(again.stderr)")

                // A giver who stops serving goes offline once the window passes.
                let anonymous = try await giver.byoky([
                    "gift", "create", "--key", "Anthropic", "--budget", "100", "--expires", "1h", "--relay",
                    "ws://127.0.0.1:\(relayPort)", "--list", "--anonymous", "--marketplace", board, "--json",
                ])
                let second = try JSONDecoder().decode(Created.self, from: Data(anonymous.stdout.utf8))
                #expect(try await waitFor { $0.active.contains { $0.id == second.id && $0.gifterName == "Anonymous" } })
                await giverServe.terminate()
                #expect(try await waitFor { $0.active.first { $0.id == second.id }?.online == false })

                // Time passes (the board restarts an hour and a bit later, over the same data): the
                // gift is in the expired section, and redeeming it says so.
                await market.terminate()
                let later = try BackgroundProcess(
                    boardExecutable,
                    arguments: ["--port", "0", "--clock-offset-seconds", "3700", "--online-seconds", "3"] + storage
                )
                board = "http://127.0.0.1:\(try await later.announcedPort())"
                let afterAnHour = try await read()
                #expect(!afterAnHour.active.contains { $0.id == second.id })
                #expect(afterAnHour.expired.contains { $0.id == second.id })
                let expired = try await receiver.byoky(
                    ["gift", "redeem", "--password-file", receiver.passwordFile],
                    input: "\(board)/redeem/\(second.id)\n"
                )
                #expect(expired.status != 0)
                #expect(expired.stderr.contains("expired"), "\(expired.stderr)")

                for process in [receiverServe, later, relay, mock] { await process.terminate() }
                for output in [
                    giverServe.printed, receiverServe.printed, market.printed, later.printed, created.stdout,
                ] {
                    #expect(!output.contains("sk-canary-MARKET-0042"))
                }
            }
        }
    }
}
