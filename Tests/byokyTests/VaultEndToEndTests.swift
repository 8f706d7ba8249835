import ByokyCore
import ByokySDK
import ByokyTesting
import Foundation
import NIOCore
import Testing

/// The vault end to end, with real processes: a wallet pushes its keys, a group and a limit to
/// `byoky-vault`; an app (this test process) connects through the vault with the Swift SDK and
/// the official Python SDKs stream through `/proxy` to the mock provider; the synced route and cap
/// apply; a second wallet pulls everything; the owner lists and ends app sessions.
@Suite(.timeLimit(.minutes(4)))
struct VaultEndToEndTests {
    static let canary = "sk-canary-VAULT-E2E-0042"
    static let vaultPassword = "Vault-E2E-Password-58"

    static func messages(maxTokens: Int = 64, stream: Bool) -> ByokyFetch.Request {
        ByokyFetch.Request(
            url: "https://api.anthropic.com/v1/messages",
            headers: [("content-type", "application/json"), ("anthropic-version", "2023-06-01")],
            body: Array(
                """
                {"model":"claude-sonnet-4-5","max_tokens":\(maxTokens),"stream":\(stream),\
                "messages":[{"role":"user","content":"Hello there"}]}
                """.utf8
            )
        )
    }

    static func connect(_ url: String, app: String, _ providers: [ProviderID]) async throws -> ByokySession {
        try await Byoky(options: .init(appName: app)).connectViaVault(
            vaultURL: url,
            username: "e2e_owner",
            password: vaultPassword,
            providers: providers.map { ProviderRequirement(id: $0, required: true) }
        )
    }

    @Test func aWalletsKeysRoutingAndLimitsServeAnAppThroughTheVault() async throws {
        try await TemporaryFolder.with { folder in
            let vault = try CommandLineTests.server("byoky-vault", "--data", folder.path + "/vault")
            defer { vault.killAbruptly() }
            let mock = try CommandLineTests.server("byoky-mock-provider")
            defer { mock.killAbruptly() }
            let url = "http://127.0.0.1:\(try await vault.announcedPort())"
            let mockPort = try await mock.announcedPort()
            try await WalletCommandTests.Home.with { first in
                for provider in ["anthropic", "openai"] {
                    let added = try await first.byoky(
                        [
                            "key", "add", provider, "--base-url", "http://127.0.0.1:\(mockPort)",
                            "--password-file", first.passwordFile,
                        ],
                        input: Self.canary + "\n"
                    )
                    #expect(added.status == 0, "\(added.stderr)")
                }
                for command in [
                    ["group", "add", "to-gpt", "--provider", "openai", "--model", "gpt-5.5"],
                    ["group", "assign", "Routed app", "to-gpt"], ["limit", "set", "Capped app", "3000"],
                ] {
                    let done = try await first.byoky(command + ["--password-file", first.passwordFile])
                    #expect(done.status == 0, "\(command): \(done.stderr)")
                }
                let signed = try await first.byoky(
                    ["vault", "signup", "--vault", url, "--username", "e2e_owner"],
                    input: Self.vaultPassword + "\n"
                )
                #expect(signed.status == 0, "\(signed.stderr)")
                let pushed = try await first.byoky(["vault", "push", "--password-file", first.passwordFile])
                #expect(
                    pushed.stdout.contains("Pushed 2 keys") && pushed.stdout.contains("routing (groups, limits) sent")
                )
                let unchanged = try await first.byoky(["vault", "push", "--password-file", first.passwordFile])
                #expect(unchanged.stdout.contains("routing unchanged"), "\(unchanged.stdout)")

                // An app with no wallet of its own: the Swift SDK, streaming.
                let plain = try await Self.connect(url, app: "Plain app", [.anthropic, .openai])
                let fetch = plain.createFetch(.anthropic)
                let streamed = try await fetch(Self.messages(stream: true))
                var decoder = SSEDecoder()
                var events: [String] = []
                for try await chunk in streamed.body {
                    events += try decoder.feed(Array(chunk.readableBytesView)).compactMap(\.type)
                }
                #expect(streamed.status == 200 && events.last == "message_stop", "\(events)")

                // The official Python SDKs (another process) through /proxy, streaming and tools.
                if PythonInterop.isEnabled(needing: SDKClient.modules) {
                    for item in SDKClient.matrix where [.anthropic, .openai].contains(item.family) {
                        let root = url + "/proxy/" + (item.family == .openai ? "openai" : "anthropic")
                        let result = try await SDKClient.run(
                            item,
                            baseURL: SDKClient.baseURL(root: root, family: item.family),
                            apiKey: plain.sessionKey
                        )
                        #expect(result["error_status"] == nil, "\(item): \(result)")
                        if item.tools {
                            #expect(result["tool_name"] as? String == "get_weather", "\(item): \(result)")
                        } else {
                            #expect(result["text"] as? String == SDKClient.mockReplyToHelloThere, "\(item): \(result)")
                        }
                    }
                }

                // The synced group moves "Routed app" from Anthropic to OpenAI's family and model.
                let routed = try await Self.connect(url, app: "Routed app", [.anthropic])
                let translated = try await routed.createFetch(.anthropic)(Self.messages(stream: false))
                let answer = String(buffer: try await translated.body.collect(upTo: 1 << 20))
                #expect(translated.status == 200, "\(answer)")
                #expect(answer.contains("\"type\":\"message\"") && answer.contains("msg_chatcmpl-"), "\(answer)")

                // The synced limit stops "Capped app" before anything is sent.
                let capped = try await Self.connect(url, app: "Capped app", [.anthropic])
                let refused = try await capped.createFetch(.anthropic)(Self.messages(maxTokens: 64_000, stream: false))
                #expect(refused.status == 429)
                #expect(refused.headers.first { $0.0.lowercased() == "x-byoky-error-code" }?.1 == "ALLOWANCE_EXCEEDED")

                // The owner sees the app sessions and ends one.
                let apps = try await first.byoky(["vault", "apps", "--json"])
                let listed = try #require(
                    try JSONSerialization.jsonObject(with: Data(apps.stdout.utf8)) as? [[String: Any]]
                )
                #expect(
                    Set(listed.compactMap { $0["appName"] as? String }) == ["Plain app", "Routed app", "Capped app"]
                )
                let routedID = try #require(listed.first { $0["appName"] as? String == "Routed app" }?["id"] as? String)
                let revoked = try await first.byoky(["vault", "revoke", routedID])
                #expect(revoked.status == 0, "\(revoked.stderr)")
                #expect(try await routed.createFetch(.anthropic)(Self.messages(stream: false)).status == 401)
                #expect(try await plain.createFetch(.anthropic)(Self.messages(stream: false)).status == 200)

                // A second wallet takes the keys, the group and the limit.
                try await WalletCommandTests.Home.with { second in
                    let logged = try await second.byoky(
                        ["vault", "login", "--vault", url, "--username", "e2e_owner"],
                        input: Self.vaultPassword + "\n"
                    )
                    #expect(logged.status == 0, "\(logged.stderr)")
                    let pulled = try await second.byoky(["vault", "pull", "--password-file", second.passwordFile])
                    #expect(pulled.stdout.contains("2 added") && pulled.stdout.contains("taken from the vault"))
                    let groups = try await second.byoky(["group", "list", "--json"]).stdout
                    #expect(groups.contains("to-gpt") && groups.contains("Routed app"), "\(groups)")
                    let limits = try await second.byoky(["limit", "list", "--json"]).stdout
                    #expect(limits.contains("Capped app") && limits.contains("3000"), "\(limits)")

                    // Both change the routing: the second push is refused, and the pull keeps local changes.
                    #expect(
                        try await second.byoky([
                            "limit", "set", "Plain app", "100", "--password-file", second.passwordFile,
                        ])
                        .status == 0
                    )
                    #expect(
                        try await second.byoky(["vault", "push", "--password-file", second.passwordFile]).stdout
                            .contains("routing (groups, limits) sent")
                    )
                    #expect(
                        try await first.byoky(["limit", "set", "Other app", "5", "--password-file", first.passwordFile])
                            .status == 0
                    )
                    let conflict = try await first.byoky(["vault", "push", "--password-file", first.passwordFile])
                    #expect(conflict.stdout.contains("neither was overwritten"), "\(conflict.stdout)")
                    let kept = try await first.byoky(["vault", "pull", "--password-file", first.passwordFile])
                    #expect(kept.stdout.contains("neither was overwritten"), "\(kept.stdout)")
                    let taken = try await first.byoky([
                        "vault", "pull", "--force-routing", "--password-file", first.passwordFile,
                    ])
                    #expect(taken.stdout.contains("taken from the vault"), "\(taken.stdout)")
                    let firstLimits = try await first.byoky(["limit", "list", "--json"]).stdout
                    #expect(firstLimits.contains("Plain app") && !firstLimits.contains("Other app"), "\(firstLimits)")
                }
            }
        }
    }
}
