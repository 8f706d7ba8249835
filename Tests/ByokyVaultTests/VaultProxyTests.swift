import ByokyCore
import ByokyMockProvider
import ByokyServerStore
import ByokyTesting
import ByokyVault
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

/// App sessions and `/proxy` on a vault, over real HTTP to the mock provider, on SQLite and on
/// PostgreSQL: the wallet's proxy engine serves with the account's synced keys, routing and caps.
@Suite(.timeLimit(.minutes(3)))
struct VaultProxyTests {
    @Test(arguments: TestDatabase.available)
    func anAppSessionServesStreamsMetersAndEnds(on database: TestDatabase) async throws {
        try await VaultProxyFixture.with(on: database) { fixture in
            let key = try await fixture.connect([.anthropic])
            #expect(key.hasPrefix("bva_"))

            let answer = try await fixture.messages(key: key)
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.json["type"] as? String == "message")
            #expect(!answer.text.contains(VaultProxyFixture.canary))
            #expect(fixture.keyedUpstreamRequests == 1)

            let stream = try await fixture.messages(key: key, stream: true)
            #expect(stream.status == 200)
            #expect(stream.header("content-type")?.hasPrefix("text/event-stream") == true)
            #expect(stream.text.contains("event: message_start") && stream.text.contains("event: message_stop"))

            // The wallet's session API under /proxy: status, usage (once the log is written), end.
            let status = try await fixture.vault.send(.GET, "/proxy/v1/session", headers: [("x-api-key", key)])
            #expect(status.json["connected"] as? Bool == true)
            let providers = try #require(status.json["providers"] as? [String: Any])
            #expect((providers["anthropic"] as? [String: Any])?["available"] as? Bool == true)
            var requests = 0
            for _ in 0..<50 {
                let usage = try await fixture.vault.send(.GET, "/proxy/v1/session/usage", headers: [("x-api-key", key)])
                requests = usage.json["requests"] as? Int ?? 0
                if requests == 2 {
                    #expect((usage.json["outputTokens"] as? Int ?? 0) > 0)
                    break
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(requests == 2)

            let ended = try await fixture.vault.send(
                .POST,
                "/proxy/v1/session/disconnect",
                headers: [("x-api-key", key)]
            )
            #expect(ended.json["connected"] as? Bool == false)
            let after = try await fixture.messages(key: key)
            #expect(after.status == 401)
            // In Anthropic's own error shape, which its SDK raises as an authentication error.
            #expect(after.json["type"] as? String == "error")
            #expect((after.json["error"] as? [String: Any])?["type"] as? String == "authentication_error")
            #expect(fixture.keyedUpstreamRequests == 2)
        }
    }

    @Test func connectNeedsALoginAndAKeyForEveryRequiredProvider() async throws {
        try await VaultProxyFixture.with(providers: [.anthropic]) { fixture in
            let missing = try await fixture.connectAnswer([.anthropic, .mistral])
            #expect(missing.status == 403 && missing.code == "PROVIDER_UNAVAILABLE", "\(missing.text)")
            let noLogin = try await fixture.vault.send(
                .POST,
                "/connect",
                json: #"{"providers":[{"id":"anthropic"}],"appName":"x"}"#
            )
            #expect(noLogin.status == 401 && noLogin.code == "UNAUTHORIZED")
            let unknown = try await fixture.connectAnswer([ProviderID("no-such-provider")])
            #expect(unknown.status == 400 && unknown.code == "INVALID_INPUT")
            let noName = try await fixture.connectAnswer([.anthropic], appName: nil)
            #expect(noName.status == 400)
            // A session key is not a login: it cannot make more sessions or read keys.
            let key = try await fixture.connect()
            let escalate = try await fixture.vault.send(.GET, "/credentials", token: key)
            #expect(escalate.status == 401)
        }
    }

    @Test func anAccountHoldsABoundedNumberOfAppSessions() async throws {
        var base = VaultConfiguration()
        base.appSessionsPerAccount = 3
        try await VaultProxyFixture.with(on: .sqlite, base) { fixture in
            var keys: [String] = []
            for _ in 0..<3 { keys.append(try await fixture.connect()) }
            let fourth = try await fixture.connectAnswer([.anthropic])
            #expect(fourth.status == 429 && fourth.code == "TOO_MANY_SESSIONS", "\(fourth.text)")
            // Ending one makes room again.
            let ended = try await fixture.vault.send(
                .POST,
                "/proxy/v1/session/disconnect",
                headers: [("x-api-key", keys[0])]
            )
            #expect(ended.status == 200)
            #expect(try await fixture.connectAnswer([.anthropic]).status == 201)
        }
    }

    @Test func aSessionAnswersOnlyItsOwnOrigin() async throws {
        try await VaultProxyFixture.with { fixture in
            let site = "https://app.example"
            let web = try await fixture.connect(appOrigin: site, origin: site)
            let own = try await fixture.messages(key: web, origin: site)
            #expect(own.status == 200)
            #expect(own.header("access-control-allow-origin") == site)
            let other = try await fixture.messages(key: web, origin: "https://evil.example")
            #expect(other.status == 403 && other.header("x-byoky-error-code") == "ORIGIN_NOT_ALLOWED")
            // A page may read why it was refused: by another origin's session, or by a key that
            // opens none (in the provider's error format).
            #expect(other.header("access-control-allow-origin") == "https://evil.example")
            let forged = try await fixture.messages(key: "bva_" + String(repeating: "1", count: 64), origin: site)
            #expect(forged.status == 401 && forged.header("access-control-allow-origin") == site)
            #expect(forged.json["type"] as? String == "error")
            let bare = try await fixture.messages(key: web)
            #expect(bare.status == 403)
            let statusElsewhere = try await fixture.vault.send(
                .GET,
                "/proxy/v1/session",
                headers: [("x-api-key", web), ("origin", "https://evil.example")]
            )
            #expect(statusElsewhere.status == 403)

            // A program's session answers no page; a page cannot claim another origin.
            let program = try await fixture.connect()
            let fromPage = try await fixture.messages(key: program, origin: site)
            #expect(fromPage.status == 403)
            let mismatch = try await fixture.connectAnswer(
                [.anthropic],
                appOrigin: site,
                origin: "https://evil.example"
            )
            #expect(mismatch.status == 400 && mismatch.code == "ORIGIN_MISMATCH")
            let opaque = try await fixture.connectAnswer([.anthropic], origin: "null")
            #expect(opaque.status == 400 && opaque.code == "MISSING_ORIGIN")
            #expect(fixture.keyedUpstreamRequests == 1)

            // A preflight from any page is answered (the request itself is what gets checked).
            let preflight = try await fixture.vault.send(
                .OPTIONS,
                "/proxy/anthropic/v1/messages",
                headers: [
                    ("origin", site), ("access-control-request-method", "POST"),
                    ("access-control-request-headers", "x-api-key, anthropic-version, content-type"),
                ]
            )
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-headers")?.contains("anthropic-version") == true)
        }
    }

    @Test(arguments: TestDatabase.available)
    func syncedRoutingMovesTheAppAcrossFamiliesAndCapsStopIt(on database: TestDatabase) async throws {
        try await VaultProxyFixture.with(on: database) { fixture in
            let routing = VaultRouting(
                groups: [.init(id: "g1", name: "to-gpt", provider: "openai", credentialId: nil, model: "gpt-5.5")],
                assignments: [.init(app: "Vault test app", group: "g1")],
                limits: [.init(app: "Vault test app", provider: "", period: "month", tokens: 2_000)]
            )
            let put = try await fixture.vault.send(
                .PUT,
                "/routing",
                json: String(
                    decoding: WalletAPI.encode(VaultRoutingWrite(routing: routing, basedOn: 0)),
                    as: UTF8.self
                ),
                token: fixture.login
            )
            #expect(put.status == 200, "\(put.text)")
            let version = try #require(put.json["updatedAt"] as? Int64)
            // A second device that did not see this version is told so.
            let stale = try await fixture.vault.send(
                .PUT,
                "/routing",
                json: String(
                    decoding: WalletAPI.encode(VaultRoutingWrite(routing: .init(), basedOn: 0)),
                    as: UTF8.self
                ),
                token: fixture.login
            )
            #expect(stale.status == 409 && stale.code == "CONFLICT")
            let read = try await fixture.vault.send(.GET, "/routing", token: fixture.login)
            #expect(read.json["updatedAt"] as? Int64 == version)

            let key = try await fixture.connect([.anthropic])
            let translated = try await fixture.messages(key: key)
            #expect(translated.status == 200, "\(translated.text)")
            // Anthropic's shape, answered by the OpenAI-family mock under the group's model.
            #expect(translated.json["type"] as? String == "message")
            #expect(fixture.upstream.withLock { $0.last?.path } == "/v1/chat/completions")

            // The cap counts the worst case before sending: 64k output cannot fit in 2,000 tokens.
            let capped = try await fixture.messages(key: key, maxTokens: 64_000)
            #expect(capped.status == 429, "\(capped.text)")
            #expect(capped.header("x-byoky-error-code") == "ALLOWANCE_EXCEEDED")
            #expect(fixture.keyedUpstreamRequests == 1)
        }
    }

    @Test func pathTricksSizesAndUnknownProvidersNeverReachTheProvider() async throws {
        var base = VaultConfiguration()
        base.proxy.maximumRequestBodySize = 64 * 1024
        try await VaultProxyFixture.with(on: .sqlite, base) { fixture in
            let key = try await fixture.connect([.anthropic])
            for suffix in [
                "/%2e%2e/openai/v1/chat/completions", "/v1/%2E%2e/%2e%2E/v1/models", "/.%2e/v1/models",
                "/%252e%252e/v1/models", "/v1%2f..%2fv1/models", "/v1//messages", "/v1/messages%00",
            ] {
                let answer = try await fixture.messages(key: key, path: "/proxy/anthropic" + suffix)
                #expect(answer.status == 400, "\(suffix): \(answer.text)")
                #expect(answer.header("x-byoky-error-code") == "INVALID_URL", "\(suffix)")
            }
            let huge = try await fixture.vault.send(
                .POST,
                "/proxy/anthropic/v1/messages",
                json: "{\"pad\":\"" + String(repeating: "x", count: 70 * 1024) + "\"}",
                headers: [("x-api-key", key)]
            )
            #expect(huge.status == 413)
            // A page reads the refusal, as it reads every answer of the vault's.
            let hugeFromPage = try await fixture.vault.send(
                .POST,
                "/proxy/anthropic/v1/messages",
                json: "{\"pad\":\"" + String(repeating: "x", count: 70 * 1024) + "\"}",
                headers: [("x-api-key", key), ("origin", "https://app.example")]
            )
            #expect(hugeFromPage.status == 413)
            #expect(hugeFromPage.header("access-control-allow-origin") == "https://app.example")
            let unknown = try await fixture.vault.send(
                .POST,
                "/proxy/nope/v1/messages",
                json: "{}",
                headers: [("x-api-key", key)]
            )
            #expect(unknown.status == 404)
            let forged = try await fixture.messages(key: "bva_" + String(repeating: "0", count: 64))
            #expect(forged.status == 401)
            #expect(fixture.keyedUpstreamRequests == 0)
        }
    }

    @Test func theOwnerListsAndEndsAppSessionsAndTheDatabaseHoldsNoKey() async throws {
        try await VaultProxyFixture.with { fixture in
            let key = try await fixture.connect([.anthropic, .openai])
            let listed = try await fixture.vault.send(.GET, "/apps", token: fixture.login)
            let apps = try #require(listed.json["apps"] as? [[String: Any]])
            #expect(apps.count == 1 && apps[0]["appName"] as? String == "Vault test app")
            #expect(!listed.text.contains(key))
            let id = try #require(apps[0]["id"] as? String)
            #expect(try await fixture.messages(key: key).status == 200)

            // Neither the app's key nor the upstream key is in the database file.
            guard case .sqliteFile(let path) = fixture.vault.location else { throw FixtureError("not a file") }
            let bytes = try #require(FileManager.default.contents(atPath: path))
            let dump = String(decoding: bytes, as: UTF8.self)
            #expect(!dump.contains(key) && !dump.contains(VaultProxyFixture.canary))

            let ended = try await fixture.vault.send(.DELETE, "/apps/\(id)", token: fixture.login)
            #expect(ended.status == 200)
            #expect(try await fixture.messages(key: key).status == 401)
            let again = try await fixture.vault.send(.DELETE, "/apps/\(id)", token: fixture.login)
            #expect(again.status == 404)
        }
    }
}
