import ByokyCore
import ByokySDK
import ByokyStore
import ByokyTesting
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
            try await RelayBackend.with { port, clients in
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
            try await RelayBackend.with { port, clients in
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
            try await RelayBackend.with { port, clients in
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
            try await RelayBackend.with(configuration: configuration) { port, clients in
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
