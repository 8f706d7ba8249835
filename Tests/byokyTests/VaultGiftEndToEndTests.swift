import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// A gift served by the vault with real processes while its giver's wallet never runs: a relay,
/// `byoky-vault --gift-key-file`, the mock provider, the giver's CLI only (no `byoky serve`), and
/// the receiver's `byoky serve` with curl under `byoky exec`. Nothing is served before the giver
/// turns the vault on; a revocation reaches the vault.
@Suite(.timeLimit(.minutes(4)))
struct VaultGiftEndToEndTests {
    static let canary = "sk-canary-VAULT-GIFT-E2E-0031"

    @Test func aGiftIsServedByTheVaultWhileItsGiversWalletIsOff() async throws {
        try await WalletCommandTests.Home.with { giver in
            try await WalletCommandTests.Home.with { receiver in
                let keyFile = giver.folder.path + "/gift.key"
                let vaultData = giver.folder.path + "/vault"
                let vault = try CommandLineTests.server(
                    "byoky-vault",
                    "--data",
                    vaultData,
                    "--gift-key-file",
                    keyFile,
                    "--password-iterations",
                    "100000"
                )
                defer { vault.killAbruptly() }
                let relay = try CommandLineTests.server("byoky-relay")
                defer { relay.killAbruptly() }
                let mock = try CommandLineTests.server("byoky-mock-provider")
                defer { mock.killAbruptly() }
                let vaultURL = "http://127.0.0.1:\(try await vault.announcedPort())"
                #expect(vault.printed.contains("Made a new gift key in \(keyFile)"))
                let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
                #expect(mode == 0o600)
                let relayPort = try await relay.announcedPort()
                let mockPort = try await mock.announcedPort()

                let added = try await giver.byoky(
                    [
                        "key", "add", "anthropic", "--base-url", "http://127.0.0.1:\(mockPort)", "--password-file",
                        giver.passwordFile,
                    ],
                    input: Self.canary + "\n"
                )
                #expect(added.status == 0, "\(added.stderr)")
                let signed = try await giver.byoky(
                    ["vault", "signup", "--vault", vaultURL, "--username", "gift_giver"],
                    input: "Vault-Gift-E2E-Password-31\n"
                )
                #expect(signed.status == 0, "\(signed.stderr)")
                let created = try await giver.byoky([
                    "gift", "create", "--key", "Anthropic", "--budget", "100000", "--expires", "2h", "--relay",
                    "ws://127.0.0.1:\(relayPort)", "--json", "--password-file", giver.passwordFile,
                ])
                struct Created: Decodable {
                    let id: String
                    let link: String
                }
                let gift = try JSONDecoder().decode(Created.self, from: Data(created.stdout.utf8))

                // The receiver redeems it and asks through its own wallet; nobody serves yet.
                let redeemed = try await receiver.byoky(
                    ["gift", "redeem", "--password-file", receiver.passwordFile],
                    input: gift.link + "\n"
                )
                #expect(redeemed.status == 0, "\(redeemed.stderr)")
                let receiverServe = try BackgroundProcess(
                    CommandLineTests.executable,
                    arguments: [
                        "serve", "--port", "0", "--password-file", receiver.passwordFile, "--marketplace",
                        "http://127.0.0.1:9",
                    ],
                    environment: receiver.environment
                )
                defer { receiverServe.killAbruptly() }
                let bridge = try await receiverServe.announcedPort()
                let exec = GiftCall.exec(app: "gift-user", bridgePort: bridge)
                func ask(until status: String, within seconds: Int) async throws -> String {
                    var answer = ""
                    for _ in 0..<(seconds * 4) {
                        answer = try await receiver.byoky(exec).stdout
                        if answer.hasSuffix("status=\(status)") { return answer }
                        try await Task.sleep(for: .milliseconds(250))
                    }
                    return answer
                }
                let offline = try await receiver.byoky(exec).stdout
                #expect(offline.hasSuffix("status=503") && offline.contains("giver is offline"), "\(offline)")

                // Turning it on asks first; without a terminal it needs --yes.
                let unconfirmed = try await giver.byoky(
                    ["gift", "vault", "on", String(gift.id.prefix(8)), "--password-file", giver.passwordFile]
                )
                #expect(unconfirmed.status != 0 && unconfirmed.stderr.contains("--yes"), "\(unconfirmed.stderr)")
                #expect(unconfirmed.stdout.contains("Its operator could use that key"))
                #expect(try await receiver.byoky(exec).stdout.hasSuffix("status=503"))

                let on = try await giver.byoky(
                    ["gift", "vault", "on", String(gift.id.prefix(8)), "--yes", "--password-file", giver.passwordFile]
                )
                #expect(on.status == 0 && on.stdout.contains("serves gift \(gift.id.prefix(8))"), "\(on.stderr)")
                let served = try await ask(until: "200", within: 30)
                #expect(served.hasSuffix("status=200") && served.contains(#""type":"message""#), "\(served)")
                #expect(!served.contains(Self.canary))
                // The official SDK's strict parser takes what the vault served.
                let official = try await receiver.byoky(
                    GiftCall.exec(app: "gift-user", bridgePort: bridge, GiftCall.officialSDKOrCurl)
                )
                #expect(official.stdout.contains("status=200"), "\(official.stdout) \(official.stderr)")

                // The giver's wallet learns the vault's count on its next sync.
                let listed = try await giver.byoky(["gift", "list"])
                #expect(listed.stdout.contains("the vault serves it when offline"), "\(listed.stdout)")
                let pushed = try await giver.byoky(["vault", "push", "--json", "--password-file", giver.passwordFile])
                #expect(pushed.stdout.contains(gift.id), "\(pushed.stdout) \(pushed.stderr)")
                struct Listed: Decodable {
                    let id: String
                    let usedTokens: Int
                }
                let gifts = try JSONDecoder().decode(
                    [Listed].self,
                    from: Data(try await giver.byoky(["gift", "list", "--json"]).stdout.utf8)
                )
                #expect((gifts.first { $0.id == gift.id }?.usedTokens ?? 0) > 0)

                // Revoked in the wallet: the vault answers GIFT_REVOKED.
                let revoked = try await giver.byoky(
                    ["gift", "revoke", String(gift.id.prefix(8)), "--password-file", giver.passwordFile]
                )
                #expect(revoked.stdout.contains("answers GIFT_REVOKED too"), "\(revoked.stdout) \(revoked.stderr)")
                let gone = try await receiver.byoky(exec).stdout
                #expect(gone.hasSuffix("status=410") && gone.contains("The giver revoked this gift"), "\(gone)")

                // The vault's database never held the key in the clear.
                let stored = try FileManager.default.contentsOfDirectory(atPath: vaultData).compactMap {
                    FileManager.default.contents(atPath: vaultData + "/" + $0)
                }
                #expect(!stored.isEmpty)
                #expect(stored.allSatisfy { !String(decoding: $0, as: UTF8.self).contains(Self.canary) })
            }
        }
    }
}
