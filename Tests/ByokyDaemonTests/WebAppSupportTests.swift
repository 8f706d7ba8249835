import ByokyCore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOHTTP1
import Testing

/// What the bridge gives web pages: the SDK's files, CORS a browser accepts (preflights, exposed
/// headers, Chrome's local network opt-in), connect requests only their own page can collect and
/// rate-limited per origin, and sessions that pick up providers the owner adds later.
@Suite(.timeLimit(.minutes(2)))
struct WebAppSupportTests {
    static let page = "http://127.0.0.1:8123"

    @Test func theSDKIsServedWithItsTypeVersionAndEntityTag() async throws {
        try await BridgeFixture.with { bridge in
            let sdk = try await bridge.send(.GET, "/sdk/byoky.js", headers: [("origin", Self.page)])
            #expect(sdk.status == 200)
            #expect(sdk.header("content-type") == "text/javascript; charset=utf-8")
            #expect(sdk.header("access-control-allow-origin") == "*")
            #expect(sdk.header("x-content-type-options") == "nosniff")
            #expect(sdk.header("x-byoky-version") == ByokyVersion.current)
            #expect(sdk.text.contains("export const VERSION = '\(ByokyVersion.current)'"))
            let source = try String(
                contentsOf: PythonInterop.packageRoot.appendingPathComponent("Web/sdk/byoky.js"),
                encoding: .utf8
            )
            #expect(sdk.text == source)
            let tag = try #require(sdk.header("etag"))
            let again = try await bridge.send(.GET, "/sdk/byoky.js", headers: [("if-none-match", tag)])
            #expect(again.status == 304)
            #expect(again.body.isEmpty)
            let stale = try await bridge.send(.GET, "/sdk/byoky.js", headers: [("if-none-match", "\"other\"")])
            #expect(stale.status == 200)

            // Every module the SDK imports is served beside it.
            let modules = try Web.modulePaths(in: PythonInterop.packageRoot.appendingPathComponent("Web/sdk"))
            #expect(modules.count >= 8)
            for module in modules {
                let file = try await bridge.send(.GET, "/sdk/\(module)")
                #expect(file.status == 200, "\(module)")
                #expect(file.header("content-type") == "text/javascript; charset=utf-8", "\(module)")
            }
            let types = try await bridge.send(.GET, "/sdk/byoky.d.ts")
            #expect(types.header("content-type") == "application/typescript; charset=utf-8")
            #expect(types.text.contains("export declare class Byoky"))

            let missing = try await bridge.send(.GET, "/sdk/nothing.js")
            #expect(missing.status == 404)
            #expect(missing.header("x-byoky-error-code") == "NOT_FOUND")
            let escape = try await bridge.send(.GET, "/sdk/../Package.swift")
            #expect(escape.status == 404 || escape.status == 400)
            let rebound = try await bridge.send(.GET, "/sdk/byoky.js", headers: [("host", "evil.example")])
            #expect(rebound.status == 403)
        }
    }

    @Test func preflightsGrantLocalNetworkAccessAndAnswersExposeHeaders() async throws {
        try await BridgeFixture.with(grant: [.anthropic]) { bridge in
            for path in ["/v1/connect", "/v1/session", "/v1/events", "/sdk/byoky.js"] {
                let preflight = try await bridge.send(
                    .OPTIONS,
                    path,
                    headers: [
                        ("origin", "https://app.example"), ("access-control-request-method", "GET"),
                        ("access-control-request-private-network", "true"),
                        ("access-control-request-local-network", "true"),
                    ]
                )
                #expect(preflight.status == 204, "\(path)")
                #expect(preflight.header("access-control-allow-private-network") == "true", "\(path)")
                #expect(preflight.header("access-control-allow-local-network") == "true", "\(path)")
            }
            let plain = try await bridge.send(.OPTIONS, "/v1/session", headers: [("origin", "https://app.example")])
            #expect(plain.header("access-control-allow-private-network") == nil)
            // A provider route still needs a live session of the origin, local network or not.
            let proxy = try await bridge.send(
                .OPTIONS,
                BridgeTests.routes[0].path,
                headers: [("origin", "https://app.example"), ("access-control-request-private-network", "true")]
            )
            #expect(proxy.status == 403)

            let health = try await bridge.send(.GET, "/v1/health", headers: [("origin", "https://app.example")])
            #expect(health.header("access-control-allow-origin") == "https://app.example")
            // A page must be able to read why its request failed, and the headers of every answer.
            let refused = try await bridge.send(
                .POST,
                BridgeTests.routes[0].path,
                body: BridgeTests.routes[0].body,
                headers: [("x-api-key", "byk_not-a-session"), ("origin", "https://app.example")]
            )
            #expect(refused.status == 401)
            #expect(refused.header("access-control-allow-origin") == "https://app.example")
            #expect(refused.header("access-control-expose-headers") == "*")
        }
    }

    @Test func onlyTheRequestingPageCollectsItsSession() async throws {
        try await BridgeFixture.with { bridge in
            let body = #"{"app":{"name":"Notes"},"providers":[{"id":"anthropic"}]}"#
            let ticket = try await bridge.send(.POST, "/v1/connect", body: body, headers: [("origin", Self.page)])
            let id = try #require(ticket.json["requestId"] as? String, "\(ticket.text)")
            #expect(id.count == 32)
            #expect(ticket.header("access-control-expose-headers") == "*")
            #expect(try await bridge.control(.POST, "/approvals/\(id)/approve").status == 200)
            let other = try await bridge.send(.GET, "/v1/connect/\(id)", headers: [("origin", "http://127.0.0.1:9999")])
            #expect(other.status == 404)
            #expect(other.text.contains("sessionKey") == false)
            let own = try await bridge.send(.GET, "/v1/connect/\(id)", headers: [("origin", Self.page)])
            #expect((own.json["session"] as? [String: Any])?["sessionKey"] is String)

            // A program's request is not visible to any page.
            let program = #"{"app":{"name":"CLI tool"},"providers":[{"id":"anthropic"}]}"#
            let programTicket = try await bridge.send(.POST, "/v1/connect", body: program)
            let programID = try #require(programTicket.json["requestId"] as? String)
            let fromPage = try await bridge.send(.GET, "/v1/connect/\(programID)", headers: [("origin", Self.page)])
            #expect(fromPage.status == 404)
            #expect(try await bridge.send(.GET, "/v1/connect/\(programID)").status == 200)
        }
    }

    @Test func oneOriginCannotFloodTheOwnerUnderManyNames() async throws {
        try await BridgeFixture.with { bridge in
            var statuses: [Int] = []
            for index in 0..<(ApprovalBook.maximumPerAppPerMinute + 2) {
                let body = #"{"app":{"name":"Name \#(index)"},"providers":[{"id":"anthropic"}]}"#
                statuses.append(
                    try await bridge.send(.POST, "/v1/connect", body: body, headers: [("origin", Self.page)]).status
                )
            }
            #expect(statuses.prefix(ApprovalBook.maximumPerAppPerMinute).allSatisfy { $0 == 202 })
            #expect(statuses.suffix(2).allSatisfy { $0 == 429 })
            // Another page is not held back by the first one.
            let other = try await bridge.send(
                .POST,
                "/v1/connect",
                body: #"{"app":{"name":"Name 0"},"providers":[{"id":"anthropic"}]}"#,
                headers: [("origin", "http://127.0.0.1:8124")]
            )
            #expect(other.status == 202)
        }
    }

    @Test func aKeyAddedLaterMakesAGrantedProviderAvailable() async throws {
        try await BridgeFixture.with { bridge in
            let body = #"{"app":{"name":"Later"},"providers":[{"id":"anthropic","required":true},{"id":"mistral"}]}"#
            let ticket = try await bridge.send(.POST, "/v1/connect", body: body)
            let id = try #require(ticket.json["requestId"] as? String)
            #expect(try await bridge.control(.POST, "/approvals/\(id)/approve").status == 200)
            let answer = try await bridge.send(.GET, "/v1/connect/\(id)")
            let session = try #require(answer.json["session"] as? [String: Any])
            let key = try #require(session["sessionKey"] as? String)
            let offered = try #require(session["providers"] as? [String: [String: Any]])
            #expect(offered["mistral"]?["available"] as? Bool == false)

            try await bridge.wallet.addCredential(
                provider: .mistral,
                secret: SecretString(BridgeFixture.canary),
                baseURL: "http://127.0.0.1:\(bridge.mockPort)"
            )
            let status = try await bridge.send(.GET, "/v1/session", headers: [("authorization", "Bearer \(key)")])
            let providers = try #require(status.json["providers"] as? [String: [String: Any]])
            #expect(providers["mistral"]?["available"] as? Bool == true)
            let chat = try await bridge.send(
                .POST,
                "/mistral/v1/chat/completions",
                body: #"{"model":"mistral-small-latest","messages":[{"role":"user","content":"Hi"}]}"#,
                headers: [("authorization", "Bearer \(key)")]
            )
            #expect(chat.status == 200)

            // A provider the owner did not grant stays out, key or not.
            let subsetTicket = try await bridge.send(.POST, "/v1/connect", body: body)
            let subsetID = try #require(subsetTicket.json["requestId"] as? String)
            let approved = try await bridge.control(
                .POST,
                "/approvals/\(subsetID)/approve",
                body: #"{"providers":["anthropic"]}"#
            )
            #expect(approved.status == 200)
            let subset = try await bridge.send(.GET, "/v1/connect/\(subsetID)")
            let subsetKey = try #require((subset.json["session"] as? [String: Any])?["sessionKey"] as? String)
            let refused = try await bridge.send(
                .POST,
                "/mistral/v1/chat/completions",
                body: #"{"model":"mistral-small-latest","messages":[{"role":"user","content":"Hi"}]}"#,
                headers: [("authorization", "Bearer \(subsetKey)")]
            )
            #expect(refused.status == 403)
        }
    }
}

/// The web files in the repository.
enum Web {
    /// The JavaScript files of a folder.
    static func modulePaths(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".js") }.sorted()
    }
}
