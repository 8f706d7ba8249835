import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// Gifts with real processes: two wallets in separate homes, each running `byoky serve`, a relay
/// process recording what it sees, and the mock provider. The receiver's tool is curl under
/// `byoky exec`.
@Suite(.timeLimit(.minutes(3)))
struct GiftCommandTests {
    /// `gift redeem` checks the marketplace it is given before it asks for the link, and says
    /// what it expected when standard input holds nothing.
    @Test func redeemChecksItsMarketplaceBeforeAskingAndNamesWhatItExpected() async throws {
        try await WalletCommandTests.Home.with { home in
            let badBoard = try await home.byoky(
                ["gift", "redeem", "--marketplace", "ftp://board.example.com"],
                input: ""
            )
            #expect(badBoard.status == 1)
            #expect(badBoard.stderr.hasPrefix("Error: The marketplace must be an https:// URL"), "\(badBoard.stderr)")
            let nothing = try await home.byoky(["gift", "redeem"])
            #expect(nothing.status != 0)
            #expect(nothing.stderr.contains("Expected the gift link on standard input"), "\(nothing.stderr)")
        }
    }

    @Test func aGiftWorksBetweenTwoWalletsFromTheCommandLine() async throws {
        try await WalletCommandTests.Home.with { giver in
            try await WalletCommandTests.Home.with { receiver in
                let trace = giver.folder.path + "/relay-frames.log"
                let mock = try CommandLineTests.server("byoky-mock-provider")
                let relay = try CommandLineTests.server("byoky-relay", "--trace-frames", trace)
                let mockPort = try await mock.announcedPort()
                let relayPort = try await relay.announcedPort()
                let canary = "sk-canary-GIFT-CLI-0077"
                #expect(
                    try await giver.byoky(
                        [
                            "key", "add", "anthropic", "--base-url", "http://127.0.0.1:\(mockPort)", "--password-file",
                            giver.passwordFile,
                        ],
                        input: canary + "\n"
                    ).status == 0
                )
                let created = try await giver.byoky([
                    "gift", "create", "--key", "Anthropic", "--budget", "50000", "--expires", "2h", "--relay",
                    "ws://127.0.0.1:\(relayPort)", "--label", "Ana", "--json", "--password-file", giver.passwordFile,
                ])
                #expect(created.status == 0, "\(created.stderr)")
                struct Created: Decodable {
                    let id: String
                    let link: String
                }
                let gift = try JSONDecoder().decode(Created.self, from: Data(created.stdout.utf8))
                #expect(gift.link.hasPrefix("https://byoky.com/gift/"))

                let giverServe = try BackgroundProcess(
                    CommandLineTests.executable,
                    arguments: ["serve", "--port", "0", "--password-file", giver.passwordFile],
                    environment: giver.environment
                )
                _ = try await giverServe.announcedPort()
                var online = false
                for _ in 0..<200 where !online {
                    online = try await giver.byoky(["gift", "list", "--json"]).stdout.contains(#""online" : true"#)
                    if !online { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(online)
                // With the giver's wallet running, gift commands need no password: the daemon does them.
                let relinked = try await giver.byoky(["gift", "link", String(gift.id.prefix(8))])
                #expect(
                    relinked.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == gift.link,
                    "\(relinked.stderr)"
                )
                let second = try await giver.byoky([
                    "gift", "create", "--key", "Anthropic", "--budget", "10", "--expires", "1h", "--relay",
                    "ws://127.0.0.1:\(relayPort)", "--json",
                ])
                #expect(second.status == 0, "\(second.stderr)")
                #expect(second.stdout.contains(#""status" : "active""#))

                let redeemed = try await receiver.byoky(
                    ["gift", "redeem", "--password-file", receiver.passwordFile],
                    input: gift.link + "\n"
                )
                #expect(redeemed.status == 0, "\(redeemed.stderr)")
                #expect(redeemed.stdout.contains("from Ana: 50000 tokens of anthropic"))
                let receiverServe = try BackgroundProcess(
                    CommandLineTests.executable,
                    arguments: ["serve", "--port", "0", "--password-file", receiver.passwordFile],
                    environment: receiver.environment
                )
                let bridgePort = try await receiverServe.announcedPort()

                let prompt = "PROMPT-CANARY-CLI-\(SecureRandom.hexToken(byteCount: 4))"
                let curl = """
                    curl -sN "$ANTHROPIC_BASE_URL/v1/messages" -H "x-api-key: $ANTHROPIC_API_KEY" \
                    -H "content-type: application/json" -w '\\nstatus=%{http_code}' \
                    -d '{"model":"claude-sonnet-4-6","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"\(prompt)"}]}'
                    """
                let exec = [
                    "exec", "--app", "curl", "--providers", "anthropic", "--bridge", "http://127.0.0.1:\(bridgePort)",
                    "--",
                    "sh", "-c", curl,
                ]
                let streamed = try await receiver.byoky(exec)
                #expect(streamed.stdout.contains("event: message_stop"), "\(streamed.stdout) \(streamed.stderr)")
                #expect(streamed.stdout.contains("status=200"))

                // The giver's count reaches the giver's list and the receiver's.
                var used = false
                for _ in 0..<200 where !used {
                    let list = try await giver.byoky(["gift", "list"]).stdout
                    let received = try await receiver.byoky(["gift", "received"]).stdout
                    used = !list.contains("\t0/50000") && !received.contains("\t0/50000") && received.contains("active")
                    if !used { try await Task.sleep(for: .milliseconds(50)) }
                }
                #expect(used)

                let revoked = try await giver.byoky(["gift", "revoke", String(gift.id.prefix(8))])
                #expect(revoked.status == 0, "\(revoked.stderr)")
                let refused = try await receiver.byoky(exec)
                #expect(refused.stdout.contains("status=410"), "\(refused.stdout)")
                #expect(refused.stdout.contains(#""type":"error""#))

                for process in [receiverServe, giverServe, relay, mock] { await process.terminate() }
                let frames = try String(contentsOfFile: trace, encoding: .utf8)
                #expect(frames.contains("relay:request:sealed"))
                #expect(!frames.contains(prompt) && !frames.contains("message_stop"))
                for output in [frames, giverServe.printed, receiverServe.printed, relay.printed, streamed.stdout] {
                    #expect(!output.contains(canary))
                }
            }
        }
    }
}
