import AsyncHTTPClient
import ByokyCore
import ByokyStore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOHTTP1
import Testing

/// An app that stops reading a stream at its closing event (`message_stop`, `[DONE]`,
/// `message-end`) and then asks for the log finds the request there, with its usage, though the
/// provider has not ended the body yet: the mock holds each stream open after its last event until
/// the test has looked. Every app family, passed through and translated from every other family.
/// (A Gemini stream has no closing event and ends with its body, so a Gemini app, or an answer
/// translated from Gemini, sees the end only with the body: there the mock is not held, and the
/// log must be written before the app sees the end.)
@Suite(.timeLimit(.minutes(3)))
struct StreamLogOrderTests {
    struct Pair: Sendable, CustomTestStringConvertible {
        let app: APIFamily
        let upstream: APIFamily
        var testDescription: String { "\(app.rawValue) app → \(upstream.rawValue)" }

        /// Sends the bridge's test app to the upstream family (a group on it, when it is not
        /// the app's own) and gives the app's route.
        func route(through bridge: BridgeFixture) async throws -> BridgeTests.Route {
            if upstream != app {
                try await bridge.wallet.addGroup(
                    name: "moved",
                    provider: ProviderID(upstream.rawValue),
                    model: ModelCatalog.defaultModel(for: upstream)
                )
                try await bridge.wallet.assign(app: "Bridge test", toGroup: "moved")
            }
            return try #require(BridgeTests.routes.first { $0.provider == ProviderID(app.rawValue) })
        }
    }

    static let pairs = APIFamily.allCases.flatMap { app in APIFamily.allCases.map { Pair(app: app, upstream: $0) } }

    /// Whether `event` is the last one a stream of `family` sends (Gemini streams have none).
    static func isClosing(_ event: ServerSentEvent, in family: APIFamily) -> Bool {
        switch family {
        case .anthropic: event.type == "message_stop"
        case .openai: event.dataString == "[DONE]"
        case .cohere: event.type == "message-end"
        case .gemini: false
        }
    }

    @Test(arguments: pairs)
    func closingEventArrivesAfterTheRequestIsLogged(pair: Pair) async throws {
        let holdsStream = pair.upstream != .gemini && pair.app != .gemini
        let (gate, openGate) = AsyncStream<Never>.makeStream()
        defer { openGate.finish() }
        let holdOpen: (@Sendable () async throws -> Void)? = holdsStream ? { @Sendable in for await _ in gate {} } : nil
        try await BridgeFixture.with(beforeUpstreamStreamEnd: holdOpen) { bridge in
            defer { openGate.finish() }
            let appProvider = ProviderID(pair.app.rawValue)
            let route = try await pair.route(through: bridge)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)\(route.streamPath)")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            let auth = bridge.authHeader(for: appProvider)
            request.headers.add(name: auth.0, value: auth.1)
            request.body = .bytes(ByteBuffer(string: route.streamBody))

            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            #expect(response.status == .ok)
            var decoder = SSEDecoder()
            var sawClosingEvent = false
            reading: for try await chunk in response.body {
                for event in try decoder.feed(Array(chunk.readableBytesView))
                where Self.isClosing(event, in: pair.app) {
                    sawClosingEvent = true
                    break reading
                }
            }
            #expect(sawClosingEvent == (pair.app != .gemini))
            let log = try await bridge.wallet.store.requestLog()
            #expect(log.count == 1)
            let entry = try #require(log.first)
            #expect(entry.status == 200)
            #expect(entry.errorCode == nil)
            #expect(entry.provider == appProvider.rawValue)
            #expect(entry.actualProvider == pair.upstream.rawValue)
            #expect(entry.outputTokens == 12)
            #expect((entry.inputTokens ?? 0) > 0)
        }
    }
}
