import ByokyCore
import ByokyStore
import ByokyTesting
import Foundation
import NIOHTTP1
import Testing

@testable import ByokyWallet

@Suite(.timeLimit(.minutes(2)))
struct BridgeTests {
    struct Route: Sendable, CustomTestStringConvertible {
        let provider: ProviderID
        let path: String
        let streamPath: String
        let body: String
        let streamBody: String
        var testDescription: String { provider.rawValue }
    }

    static let routes: [Route] = [
        Route(
            provider: .anthropic,
            path: "/anthropic/v1/messages",
            streamPath: "/anthropic/v1/messages",
            body: #"{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"Hi bridge"}]}"#,
            streamBody:
                #"{"model":"claude-sonnet-4-6","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi bridge"}]}"#
        ),
        Route(
            provider: .openai,
            path: "/openai/v1/chat/completions",
            streamPath: "/openai/v1/chat/completions",
            body: #"{"model":"gpt-5.5","messages":[{"role":"user","content":"Hi bridge"}]}"#,
            streamBody: #"{"model":"gpt-5.5","stream":true,"messages":[{"role":"user","content":"Hi bridge"}]}"#
        ),
        Route(
            provider: .gemini,
            path: "/gemini/v1beta/models/gemini-2.5-pro:generateContent",
            streamPath: "/gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
            body: #"{"contents":[{"role":"user","parts":[{"text":"Hi bridge"}]}]}"#,
            streamBody: #"{"contents":[{"role":"user","parts":[{"text":"Hi bridge"}]}]}"#
        ),
        Route(
            provider: .cohere,
            path: "/cohere/v2/chat",
            streamPath: "/cohere/v2/chat",
            body: #"{"model":"command-a-03-2025","messages":[{"role":"user","content":"Hi bridge"}]}"#,
            streamBody:
                #"{"model":"command-a-03-2025","stream":true,"messages":[{"role":"user","content":"Hi bridge"}]}"#
        ),
    ]

    @Test(arguments: routes)
    func servesPlainAndStreamingRequestsAndRecordsUsage(route: Route) async throws {
        try await BridgeFixture.with { bridge in
            let auth = bridge.authHeader(for: route.provider)
            let plain = try await bridge.send(.POST, route.path, body: route.body, headers: [auth])
            #expect(plain.status == 200, "\(plain.text)")
            #expect(plain.text.contains("Mock reply to: Hi bridge"))
            #expect(plain.header("server") == nil)

            let streamed = try await bridge.send(.POST, route.streamPath, body: route.streamBody, headers: [auth])
            #expect(streamed.status == 200)
            #expect(streamed.header("content-type") == "text/event-stream")
            var decoder = SSEDecoder()
            let events = try decoder.feed(streamed.body)
            #expect(events.count >= 12)

            let log = try await bridge.wallet.store.requestLog()
            #expect(log.count == 2)
            for entry in log {
                #expect(entry.status == 200)
                #expect(entry.provider == route.provider.rawValue)
                #expect(entry.appName == "Bridge test")
                #expect(entry.outputTokens == 12, "\(entry.path) recorded \(String(describing: entry.outputTokens))")
                #expect((entry.inputTokens ?? 0) > 0)
                #expect(entry.errorCode == nil)
                #expect(!entry.path.contains("?"))
            }
            #expect(
                log.first?.model
                    == (route.provider == .gemini
                        ? "gemini-2.5-pro"
                        : ModelCatalog.defaultModel(for: ProviderRegistry.provider(route.provider)!.family!))
            )
        }
    }

    /// A plain answer is recorded just after it is written: whoever got it finds its entry, with
    /// its usage, in a log read at once, request after request.
    @Test func eachAnswerIsInTheLogAsSoonAsItArrives() async throws {
        try await BridgeFixture.with { bridge in
            let route = Self.routes[0]
            let auth = bridge.authHeader(for: route.provider)
            for count in 1...40 {
                let answer = try await bridge.send(.POST, route.path, body: route.body, headers: [auth])
                #expect(answer.status == 200)
                let log = try await bridge.wallet.store.requestLog(limit: 100)
                #expect(log.count == count)
                #expect(log.first?.outputTokens == 12)
            }
        }
    }

    @Test func geminiAcceptsTheSessionKeyInTheQueryAndNeverForwardsIt() async throws {
        try await BridgeFixture.with { bridge in
            let route = Self.routes[2]
            let response = try await bridge.send(
                .POST,
                route.path + "?key=\(bridge.sessionKey)&foo=1",
                body: route.body
            )
            #expect(response.status == 200)
            #expect(ProxyEngineProbe.strip("/v1/x?key=byk_1&alt=sse") == "/v1/x?alt=sse")
            #expect(ProxyEngineProbe.strip("/v1/x?key=byk_1") == "/v1/x")
        }
    }

    @Test func hostileRequestsGetTheRightStatusAndChangeNothing() async throws {
        try await BridgeFixture.with(grant: [.anthropic, .openai, .ollama], maximumRequestBodySize: 4096) { bridge in
            let anthropic = Self.routes[0]
            let key = bridge.authHeader(for: .anthropic)

            let wrong = try await bridge.send(
                .POST,
                anthropic.path,
                body: anthropic.body,
                headers: [("x-api-key", "byk_wrong")]
            )
            #expect(wrong.status == 401)
            #expect(wrong.json["type"] as? String == "error")
            #expect(((wrong.json["error"] as? [String: Any])?["type"] as? String) == "authentication_error")
            #expect(wrong.header("x-byoky-error-code") == "UNAUTHORIZED")

            let missing = try await bridge.send(.POST, "/openai/v1/chat/completions", body: "{}")
            #expect(missing.status == 401)
            #expect(((missing.json["error"] as? [String: Any])?["type"] as? String) == "authentication_error")

            let realKeyAsSession = try await bridge.send(
                .POST,
                anthropic.path,
                body: anthropic.body,
                headers: [("x-api-key", BridgeFixture.canary)]
            )
            #expect(realKeyAsSession.status == 401)

            let notGranted = try await bridge.send(
                .POST,
                "/gemini/v1beta/models/m:generateContent",
                body: "{}",
                headers: [bridge.authHeader(for: .gemini)]
            )
            #expect(notGranted.status == 403)
            #expect(((notGranted.json["error"] as? [String: Any])?["status"] as? String) == "PERMISSION_DENIED")

            let noKey = try await bridge.send(
                .POST,
                "/ollama/v1/chat/completions",
                body: #"{"model":"m"}"#,
                headers: [bridge.authHeader(for: .ollama)]
            )
            #expect(noKey.status == 403)
            #expect(noKey.header("x-byoky-error-code") == "NO_CREDENTIAL")
            #expect(
                noKey.text.contains("No ollama API key found. You have keys for: anthropic, cohere, gemini, openai.")
            )

            let unknown = try await bridge.send(.POST, "/acme/v1/chat", body: "{}", headers: [key])
            #expect(unknown.status == 404)

            let rebinding = try await bridge.send(
                .POST,
                anthropic.path,
                body: anthropic.body,
                headers: [key, ("host", "evil.example:19280")]
            )
            #expect(rebinding.status == 403)
            #expect(rebinding.header("x-byoky-error-code") == "ORIGIN_NOT_ALLOWED")

            let oversized = try await bridge.send(
                .POST,
                anthropic.path,
                body: String(repeating: "x", count: 5000),
                headers: [key]
            )
            #expect(oversized.status == 413)
            #expect(((oversized.json["error"] as? [String: Any])?["type"] as? String) == "request_too_large")

            let malformed = try await bridge.send(.POST, anthropic.path, body: "{not json", headers: [key])
            #expect(malformed.status == 400)
            #expect(malformed.json["type"] as? String == "error")

            let escape = try await bridge.send(.GET, "/anthropic/..%2f..%2fv1/models", headers: [key])
            #expect(escape.status != 200)

            // Only requests made with a valid session reach the owner's log, and none of these changed a key.
            let log = try await bridge.wallet.store.requestLog()
            #expect(!log.contains { $0.status == 401 })
            #expect(log.allSatisfy { $0.sessionID != nil })
            #expect(try await bridge.wallet.credentials().count == 4)
        }
    }

    @Test func revokedSessionsStopWorkingAtOnce() async throws {
        try await BridgeFixture.with { bridge in
            let route = Self.routes[1]
            let auth = bridge.authHeader(for: .openai)
            #expect(try await bridge.send(.POST, route.path, body: route.body, headers: [auth]).status == 200)
            let session = try await bridge.wallet.authenticate(sessionKey: bridge.sessionKey)
            try await bridge.wallet.revokeSession(id: session.id)
            let after = try await bridge.send(.POST, route.path, body: route.body, headers: [auth])
            #expect(after.status == 401)
            #expect(after.text.contains("revoked"))
        }
    }

    @Test func theRealKeyNeverReachesTheAppOrTheDisk() async throws {
        try await BridgeFixture.with { bridge in
            var seen: [UInt8] = []
            for route in Self.routes {
                let auth = bridge.authHeader(for: route.provider)
                for exchange in [
                    try await bridge.send(.POST, route.path, body: route.body, headers: [auth]),
                    try await bridge.send(.POST, route.streamPath, body: route.streamBody, headers: [auth]),
                    try await bridge.send(.POST, route.path, body: "oops", headers: [auth]),
                    try await bridge.send(.GET, "/\(route.provider.rawValue)/v1/models", headers: [auth]),
                ] {
                    seen += exchange.body
                    for (name, value) in exchange.headers { seen += Array("\(name): \(value)\n".utf8) }
                }
            }
            #expect(!seen.isEmpty)
            #expect(seen.firstRange(of: Array(BridgeFixture.canary.utf8)) == nil)
            #expect(bridge.folder.allFileContents().firstRange(of: Array("CANARY".utf8)) == nil)
        }
    }

    @Test func healthAnswersOnLoopback() async throws {
        try await BridgeFixture.with { bridge in
            let health = try await bridge.send(.GET, "/v1/health")
            #expect(health.status == 200)
            #expect(health.json["status"] as? String == "ok")
            #expect(health.json["locked"] as? Bool == false)
        }
    }
}

enum ProxyEngineProbe {
    static func strip(_ pathAndQuery: String) -> String {
        ProxyEngine.removingKeyParameter(from: pathAndQuery, provider: .gemini)
    }
}
