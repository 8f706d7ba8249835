import ByokyCore
import ByokySDK
import ByokyStore
import ByokyWallet
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// The backend relay end to end: a front end's session (real daemon, mock provider) serves an app
/// backend (a real Hummingbird WebSocket server using `ByokyServer`) over loopback.
@Suite(.timeLimit(.minutes(2)))
struct BackendRelayTests {
    /// The clients the backend has seen, in arrival order.
    final class Clients: Sendable {
        private let clients = Mutex<[ByokyRelayClient]>([])

        func add(_ client: ByokyRelayClient) { clients.withLock { $0.append(client) } }

        /// The `index`-th client to connect, waiting for it (bounded).
        func client(_ index: Int = 0) async throws -> ByokyRelayClient {
            for _ in 0..<400 {
                if let client = clients.withLock({ $0.count > index ? $0[index] : nil }) { return client }
                try await Task.sleep(for: .milliseconds(25))
            }
            throw ByokyError(.timeout, "no relay client connected")
        }
    }

    /// Runs an app backend with a `ByokyServer` WebSocket route at `/byoky` on a free loopback port.
    static func withBackend(
        configuration: ByokyServer.Configuration = .init(),
        _ body: @Sendable (Int, Clients) async throws -> Void
    ) async throws {
        let clients = Clients()
        let server = ByokyServer(configuration: configuration)
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/byoky") { inbound, outbound, _ in
            try await server.handleConnection(inbound: inbound, outbound: outbound) { client in clients.add(client) }
        }
        let port = Mutex<Int?>(nil)
        var logger = Logger(label: "backend")
        logger.logLevel = .critical
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            logger: logger
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            let serviceGroup = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
            group.addTask { try await serviceGroup.run() }
            var bound: Int?
            for _ in 0..<200 where bound == nil {
                bound = port.withLock { $0 }
                if bound == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            let boundPort = try #require(bound)
            do {
                try await body(boundPort, clients)
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                throw error
            }
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
        }
    }

    static let plainBody = Array(
        #"{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"via relay"}]}"#.utf8
    )
    static let streamBody = Array(
        #"{"model":"claude-sonnet-4-6","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"via relay"}]}"#
            .utf8
    )

    static func request(_ body: [UInt8]) -> ByokyFetch.Request {
        ByokyFetch.Request(
            url: "https://api.anthropic.com/v1/messages",
            headers: [("content-type", "application/json")],
            body: body
        )
    }

    static func collect(_ body: AsyncThrowingStream<[UInt8], any Error>) async throws -> String {
        var bytes: [UInt8] = []
        for try await piece in body { bytes += piece }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func backendRequestsRunThroughTheFrontEndsSession() async throws {
        try await ByokySDKTests.withWallet { bridge, wallet in
            let session = try await Byoky(options: .init(appName: "Relay app", bridgeURL: bridge))
                .connect(providers: [ProviderRequirement(id: .anthropic, required: true)])
            try await Self.withBackend { port, clients in
                let relay = try session.createRelay("ws://127.0.0.1:\(port)/byoky", correlationID: "user-42")
                defer { relay.close() }
                try await relay.waitUntilConnected()
                let client = try await clients.client()
                #expect(client.correlationID == "user-42")
                #expect(client.sessionID.hasPrefix("relay_"))
                #expect(client.sessionID != session.sessionKey)
                #expect(client.providers["anthropic"]?.available == true)

                let fetch = client.createFetch(.anthropic)
                let plain = try await fetch(Self.request(Self.plainBody))
                #expect(plain.status == 200)
                #expect(try await Self.collect(plain.body).contains("Mock reply to: via relay"))

                let streamed = try await fetch(Self.request(Self.streamBody))
                #expect(streamed.status == 200)
                #expect(streamed.headers.contains { $0.0 == "content-type" && $0.1.hasPrefix("text/event-stream") })
                let events = try await Self.collect(streamed.body)
                #expect(events.contains("event: message_stop"))
                #expect(events.contains("\"text\":\" word1\"") || events.contains("word1"))

                // Several requests share the one connection at once.
                let texts = try await withThrowingTaskGroup(of: String.self) { group in
                    for _ in 0..<8 {
                        group.addTask { try await Self.collect(try await fetch(Self.request(Self.plainBody)).body) }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(texts.count == 8 && texts.allSatisfy { $0.contains("Mock reply to: via relay") })

                // A provider the session may not use gets the front end's error, code kept.
                do {
                    _ = try await client.createFetch(.gemini)(
                        ByokyFetch.Request(
                            url: "https://generativelanguage.googleapis.com/v1beta/models/x:generateContent",
                            body: []
                        )
                    )
                    Issue.record("expected PROVIDER_UNAVAILABLE")
                } catch let error as ByokyError {
                    #expect(error.code == .providerUnavailable)
                }
                let log = try await wallet.store.requestLog()
                #expect(log.filter { $0.appName == "Relay app" && $0.status == 200 }.count == 10)
            }
        }
    }

    @Test func frontEndDroppingMidStreamFailsTheBackendsRequestAndCancelsUpstream() async throws {
        try await ByokySDKTests.withWallet(upstreamEventDelay: .milliseconds(40)) { bridge, wallet in
            let session = try await Byoky(options: .init(appName: "Relay drop", bridgeURL: bridge))
                .connect(providers: [ProviderRequirement(id: .anthropic, required: true)])
            try await Self.withBackend { port, clients in
                let relay = try session.createRelay("ws://127.0.0.1:\(port)/byoky")
                try await relay.waitUntilConnected()
                let client = try await clients.client()
                let long = Array(
                    #"{"model":"mock-words-400","max_tokens":2048,"stream":true,"messages":[{"role":"user","content":"long"}]}"#
                        .utf8
                )
                let streamed = try await client.createFetch(.anthropic)(Self.request(long))
                #expect(streamed.status == 200)
                var received = 0
                do {
                    for try await piece in streamed.body {
                        received += piece.count
                        if received > 200 { relay.close() }
                    }
                    Issue.record("the body should end with an error")
                } catch let error as ByokyError {
                    #expect(error.code == .relayDisconnected)
                }
                #expect(received > 200)
                // The wallet saw the app go away and stopped the upstream call.
                var entry: String?
                for _ in 0..<200 {
                    entry = try await wallet.store.requestLog().first?.errorCode
                    if entry != nil { break }
                    try await Task.sleep(for: .milliseconds(25))
                }
                #expect(entry == "CLIENT_CLOSED")
                #expect(!client.isConnected)
            }
        }
    }

    @Test func backendCancellingARequestStopsItOnTheFrontEnd() async throws {
        try await ByokySDKTests.withWallet(upstreamEventDelay: .milliseconds(40)) { bridge, _ in
            let session = try await Byoky(options: .init(appName: "Relay cancel", bridgeURL: bridge))
                .connect(providers: [ProviderRequirement(id: .anthropic, required: true)])
            try await Self.withBackend { port, clients in
                let relay = try session.createRelay("ws://127.0.0.1:\(port)/byoky")
                defer { relay.close() }
                try await relay.waitUntilConnected()
                let client = try await clients.client()
                let long = Array(
                    #"{"model":"mock-words-400","max_tokens":2048,"stream":true,"messages":[{"role":"user","content":"long"}]}"#
                        .utf8
                )
                let reader = Task {
                    let streamed = try await client.createFetch(.anthropic)(Self.request(long))
                    for try await _ in streamed.body {}
                }
                for _ in 0..<200 where relay.inFlightCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(relay.inFlightCount == 1)
                try await Task.sleep(for: .milliseconds(150))
                reader.cancel()
                for _ in 0..<200 where relay.inFlightCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(relay.inFlightCount == 0)
                #expect(relay.status == .connected)
            }
        }
    }

    @Test func anOversizedFrameFailsTheRequestAndTheRelayReconnects() async throws {
        try await ByokySDKTests.withWallet { bridge, _ in
            let session = try await Byoky(options: .init(appName: "Relay limits", bridgeURL: bridge))
                .connect(providers: [ProviderRequirement(id: .anthropic, required: true)])
            var configuration = ByokyServer.Configuration()
            configuration.maximumFrameSize = 2048
            try await Self.withBackend(configuration: configuration) { port, clients in
                var relayConfiguration = BackendRelay.Configuration()
                relayConfiguration.initialBackoff = .milliseconds(50)
                let relay = try session.createRelay("ws://127.0.0.1:\(port)/byoky", configuration: relayConfiguration)
                defer { relay.close() }
                try await relay.waitUntilConnected()
                let client = try await clients.client()
                let big = Array(
                    #"{"model":"mock-words-2000","max_tokens":4096,"messages":[{"role":"user","content":"big"}]}"#.utf8
                )
                do {
                    let answer = try await client.createFetch(.anthropic)(Self.request(big))
                    _ = try await Self.collect(answer.body)
                    Issue.record("a frame over the limit must fail the request")
                } catch let error as ByokyError {
                    #expect(error.code == .relayDisconnected)
                }
                // The front end comes back by itself, and the new connection works.
                let second = try await clients.client(1)
                #expect(relay.connectionCount >= 2)
                let small = try await second.createFetch(.anthropic)(Self.request(Self.plainBody))
                #expect(try await Self.collect(small.body).contains("via relay"))
            }
        }
    }

    @Test func relayURLsMustBeSecureOrLoopback() async throws {
        try await ByokySDKTests.withWallet { bridge, _ in
            let session = try await Byoky(options: .init(appName: "Relay URL", bridgeURL: bridge))
                .connect(providers: [ProviderRequirement(id: .anthropic, required: true)])
            #expect(throws: ByokyError.self) { try session.createRelay("ws://example.com/byoky") }
            #expect(throws: ByokyError.self) { try session.createRelay("http://127.0.0.1/byoky") }
        }
    }
}
