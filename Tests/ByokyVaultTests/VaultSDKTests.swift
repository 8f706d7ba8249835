import ByokyCore
import ByokySDK
import ByokyTesting
import ByokyVault
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// The Swift SDK's `connectViaVault` against a real vault: a normal session (fetch, streaming,
/// usage, events, disconnect) that `tryReconnect` finds again, and that ends when the owner ends it.
@Suite(.timeLimit(.minutes(3)))
struct VaultSDKTests {
    static func anthropicRequest(stream: Bool) -> ByokyFetch.Request {
        ByokyFetch.Request(
            url: "https://api.anthropic.com/v1/messages",
            headers: [("content-type", "application/json"), ("anthropic-version", "2023-06-01")],
            body: Array(
                """
                {"model":"claude-sonnet-4-5","max_tokens":64,"stream":\(stream),\
                "messages":[{"role":"user","content":"Hello through the vault"}]}
                """.utf8
            )
        )
    }

    @Test func connectViaVaultGivesASessionThatStreamsAndReconnects() async throws {
        var base = VaultConfiguration()
        base.eventPollInterval = .milliseconds(100)
        try await VaultProxyFixture.with(on: .sqlite, base) { fixture in
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let url = "http://127.0.0.1:\(fixture.vault.port)"
            let byoky = Byoky(options: .init(appName: "Vault test app", sessionFile: folder.path + "/session.json"))
            let session = try await byoky.connectViaVault(
                vaultURL: url,
                username: VaultProxyFixture.username,
                password: VaultFixture.password,
                providers: [ProviderRequirement(id: .anthropic, required: true)]
            )
            #expect(session.providers["anthropic"]?.available == true)
            #expect(session.baseURL(for: .anthropic) == url + "/proxy/anthropic")

            let fetch = session.createFetch(.anthropic)
            let whole = try await fetch(Self.anthropicRequest(stream: false))
            #expect(whole.status == 200)
            let text = String(buffer: try await whole.body.collect(upTo: 1 << 20))
            #expect(text.contains("\"type\":\"message\""))
            let streamed = try await fetch(Self.anthropicRequest(stream: true))
            var decoder = SSEDecoder()
            var events: [String] = []
            for try await chunk in streamed.body {
                events += try decoder.feed(Array(chunk.readableBytesView)).compactMap(\.type)
            }
            #expect(events.first == "message_start" && events.last == "message_stop")

            // The login was given back: only the app session is left on the account.
            let apps = try await fixture.vault.send(.GET, "/apps", token: fixture.login)
            #expect((apps.json["apps"] as? [[String: Any]])?.count == 1)

            // The next launch finds the saved session at the vault.
            let again = try #require(await byoky.tryReconnect())
            #expect(again.sessionKey == session.sessionKey)

            // The owner ends it: the app hears it, and the saved session is gone next time.
            let ended = Locked(false)
            session.onDisconnect { ended.withLock { $0 = true } }
            let id = try #require((apps.json["apps"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await fixture.vault.send(.DELETE, "/apps/\(id)", token: fixture.login).status == 200)
            for _ in 0..<100 where !ended.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(50)) }
            #expect(ended.withLock { $0 })
            #expect(await byoky.tryReconnect() == nil)
            let refused = try await fetch(Self.anthropicRequest(stream: false))
            #expect(refused.status == 401)
        }
    }

    @Test func usageAndDisconnectWorkAsForAWalletSession() async throws {
        try await VaultProxyFixture.with { fixture in
            let session = try await Byoky(options: .init(appName: "Vault test app")).connectViaVault(
                vaultURL: "http://127.0.0.1:\(fixture.vault.port)",
                username: VaultProxyFixture.username,
                password: VaultFixture.password,
                providers: [ProviderRequirement(id: .anthropic, required: true)]
            )
            let answer = try await session.createFetch(.anthropic)(Self.anthropicRequest(stream: false))
            #expect(answer.status == 200)
            var usage = try await session.usage()
            for _ in 0..<40 where usage.requests < 1 {
                try await Task.sleep(for: .milliseconds(50))
                usage = try await session.usage()
            }
            #expect(usage.requests == 1 && usage.byProvider["anthropic"]?.outputTokens ?? 0 > 0)
            #expect(await session.isConnected())
            try await session.disconnect()
            #expect(await !session.isConnected())
            let refused = try await session.createFetch(.anthropic)(Self.anthropicRequest(stream: false))
            #expect(refused.status == 401)
        }
    }

    @Test func connectViaVaultSaysWhatWentWrong() async throws {
        try await VaultProxyFixture.with(providers: [.anthropic]) { fixture in
            let url = "http://127.0.0.1:\(fixture.vault.port)"
            let byoky = Byoky(options: .init(appName: "Vault test app"))
            let required = [ProviderRequirement(id: .anthropic, required: true)]
            await #expect(throws: ByokyError.self) {
                try await byoky.connectViaVault(
                    vaultURL: url,
                    username: "proxy_owner",
                    password: "wrong",
                    providers: required
                )
            }
            do {
                _ = try await byoky.connectViaVault(
                    vaultURL: url,
                    username: VaultProxyFixture.username,
                    password: "wrong-password",
                    providers: required
                )
            } catch let error as ByokyError {
                #expect(error.code.rawValue == "INVALID_CREDENTIALS")
            }
            do {
                _ = try await byoky.connectViaVault(
                    vaultURL: url,
                    username: VaultProxyFixture.username,
                    password: VaultFixture.password,
                    providers: [ProviderRequirement(id: .mistral, required: true)]
                )
                Issue.record("connected without a mistral key")
            } catch let error as ByokyError {
                #expect(error.code == .providerUnavailable)
            }
            do {
                _ = try await byoky.connectViaVault(
                    vaultURL: "http://vault.example",
                    username: "a",
                    password: "b",
                    providers: required
                )
                Issue.record("plain http to another machine was allowed")
            } catch let error as ByokyError {
                #expect(error.code == .invalidURL)
            }
            do {
                _ = try await byoky.connectViaVault(
                    vaultURL: "http://127.0.0.1:9",
                    username: "a",
                    password: "b",
                    providers: required
                )
                Issue.record("a closed port answered")
            } catch let error as ByokyError {
                #expect(error.code == .serviceUnavailable)
            }
            // Failed attempts leave no login behind.
            let apps = try await fixture.vault.send(.GET, "/apps", token: fixture.login)
            #expect((apps.json["apps"] as? [[String: Any]])?.isEmpty == true)
        }
    }
}
