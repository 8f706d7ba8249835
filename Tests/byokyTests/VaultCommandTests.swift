import AsyncHTTPClient
import ByokyTesting
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `byoky-vault` as an operator runs it: it starts on its data folder, answers, stops on SIGTERM,
/// and keeps its accounts across a restart.
@Suite(.timeLimit(.minutes(2)))
struct VaultCommandTests {
    static func post(_ port: Int, _ path: String, _ json: String) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 16)
        return (Int(response.status.code), String(buffer: body))
    }

    @Test func theVaultServesAndKeepsItsAccountsAcrossARestart() async throws {
        try await TemporaryFolder.with { folder in
            let credentials = #"{"username":"ops_1","password":"Vault-Command-Password-7"}"#
            let first = try CommandLineTests.server("byoky-vault", "--data", folder.path + "/vault")
            let port = try await first.announcedPort()
            let health = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"),
                timeout: .seconds(10)
            )
            #expect(health.status == .ok)
            #expect(try await Self.post(port, "/auth/signup", credentials).0 == 201)
            #expect(await first.terminate() == 0)

            let second = try CommandLineTests.server("byoky-vault", "--data", folder.path + "/vault")
            defer { second.killAbruptly() }
            let (status, body) = try await Self.post(try await second.announcedPort(), "/auth/login", credentials)
            #expect(status == 200 && body.contains("bvl_"))

            let withPassword = try await ProcessRunner.run(
                CommandLineTests.executable.deletingLastPathComponent().appendingPathComponent("byoky-vault"),
                arguments: ["--database-url", "postgres://ops:secret@127.0.0.1/vault"]
            )
            #expect(withPassword.status != 0 && withPassword.stderr.contains("PGPASSWORD"), "\(withPassword.stderr)")
            #expect(!withPassword.stderr.contains("secret"))
        }
    }

    /// `byoky vault signup|push` from one wallet, `login|pull` into another: the key arrives under
    /// its own id; status, logout, and what is said without a login.
    /// A vault address that cannot be used is refused before the vault password is asked for, on
    /// signup and login alike (standard input is empty, so a prompt first would fail differently).
    @Test(arguments: ["signup", "login"])
    func anUnusableVaultAddressIsRefusedBeforeThePassword(command: String) async throws {
        try await WalletCommandTests.Home.with { home in
            let result = try await home.byoky(
                ["vault", command, "--vault", "ftp://vault.example.com", "--username", "ana"],
                input: ""
            )
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("Error: ") && result.stderr.contains("https://"), "\(result.stderr)")
            #expect(!result.stderr.contains("vault password"), "\(result.stderr)")
        }
    }

    @Test func keysGoFromOneWalletThroughTheVaultToAnother() async throws {
        try await TemporaryFolder.with { folder in
            let vault = try CommandLineTests.server("byoky-vault", "--data", folder.path + "/vault")
            defer { vault.killAbruptly() }
            let url = "http://127.0.0.1:\(try await vault.announcedPort())"
            let vaultPassword = "Vault-Sync-Password-31\n"
            try await WalletCommandTests.Home.with { first in
                let added = try await first.byoky(
                    ["key", "add", "anthropic", "--label", "synced", "--password-file", first.passwordFile],
                    input: "sk-ant-synced-key-7788\n"
                )
                #expect(added.status == 0, "\(added.stderr)")
                let unknown = try await first.byoky(["vault", "push", "--password-file", first.passwordFile])
                #expect(unknown.status == 1 && unknown.stderr.contains("byoky vault login"), "\(unknown.stderr)")
                let signed = try await first.byoky(
                    ["vault", "signup", "--vault", url, "--username", "sync_ana"],
                    input: vaultPassword
                )
                #expect(signed.status == 0, "\(signed.stderr)")
                let pushed = try await first.byoky(["vault", "push", "--password-file", first.passwordFile])
                #expect(pushed.stdout.contains("Pushed 1 key"), "\(pushed.stdout)\(pushed.stderr)")
                let status = try await first.byoky(["vault", "status"])
                #expect(status.stdout.contains("sync_ana on \(url): logged in"), "\(status.stdout)")
                let saved = try String(contentsOfFile: first.folder.path + "/wallet/vault-login.json", encoding: .utf8)
                #expect(!saved.contains("Vault-Sync-Password-31") && saved.contains("bvl_"))
                let mode =
                    try FileManager.default.attributesOfItem(atPath: first.folder.path + "/wallet/vault-login.json")[
                        .posixPermissions
                    ] as? Int
                #expect(mode == 0o600)
                let firstKeys = try await first.byoky(["key", "list", "--json"]).stdout
                // A key an older wallet stored with what was pasted around it, put in the vault as
                // that wallet would have pushed it: this wallet's pull leaves it out, says why, and
                // takes the other key.
                let token = try #require(
                    (try JSONSerialization.jsonObject(with: Data(saved.utf8)) as? [String: Any])?["token"] as? String
                )
                var pasted = HTTPClientRequest(url: "\(url)/credentials/pasted-key-1")
                pasted.method = .PUT
                pasted.headers.add(name: "content-type", value: "application/json")
                pasted.headers.add(name: "authorization", value: "Bearer \(token)")
                pasted.body = .bytes(
                    ByteBuffer(
                        string:
                            #"{"provider":"openai","label":"pasted","secret":"export OPENAI_API_KEY=sk-proj-1","updatedAt":1}"#
                    )
                )
                let stored = try await HTTPClient.shared.execute(pasted, timeout: .seconds(10))
                #expect(stored.status.code < 300, "\(stored.status)")

                try await WalletCommandTests.Home.with { second in
                    let wrong = try await second.byoky(
                        ["vault", "login", "--vault", url, "--username", "sync_ana"],
                        input: "Not-The-Vault-Password-1\n"
                    )
                    #expect(wrong.status == 1 && wrong.stderr.contains("Wrong username or password"), "\(wrong.stderr)")
                    let logged = try await second.byoky(
                        ["vault", "login", "--vault", url, "--username", "sync_ana"],
                        input: vaultPassword
                    )
                    #expect(logged.status == 0, "\(logged.stderr)")
                    let pulled = try await second.byoky(["vault", "pull", "--password-file", second.passwordFile])
                    #expect(pulled.status == 0, "\(pulled.stderr)")
                    #expect(pulled.stdout.contains("1 added"), "\(pulled.stdout)\(pulled.stderr)")
                    #expect(
                        pulled.stdout.contains("Skipped pasted: The key has a space"),
                        "\(pulled.stdout)"
                    )
                    let keys = try await second.byoky(["key", "list", "--json"]).stdout
                    let mine = try #require(try JSONSerialization.jsonObject(with: Data(keys.utf8)) as? [[String: Any]])
                    let theirs = try #require(
                        try JSONSerialization.jsonObject(with: Data(firstKeys.utf8)) as? [[String: Any]]
                    )
                    #expect(mine.first?["id"] as? String == theirs.first?["id"] as? String)
                    #expect(mine.first?["label"] as? String == "synced")
                    #expect(mine.first?["maskedSecret"] as? String == theirs.first?["maskedSecret"] as? String)
                    // Nothing new since: a second pull adds nothing.
                    let again = try await second.byoky(["vault", "pull", "--password-file", second.passwordFile])
                    #expect(again.stdout.contains("0 added"), "\(again.stdout)")

                    #expect(try await second.byoky(["vault", "logout"]).status == 0)
                    #expect(try await second.byoky(["vault", "status"]).stdout.contains("Not logged in"))
                }
                // The first wallet's login still holds; ending it ends it at the vault too.
                #expect(try await first.byoky(["vault", "logout"]).status == 0)
            }
        }
    }
}
