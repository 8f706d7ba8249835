import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyMockProvider
import ByokyRelay
import ByokySDK
import ByokyStore
import ByokyTesting
import ByokyWallet
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// Relay pairing end to end: an app with no local wallet shows a pairing code, the owner's wallet
/// (another home) joins through a real relay, and the app's requests flow app → relay → wallet →
/// provider, streaming included.
@Suite(.timeLimit(.minutes(2)))
struct PairingTests {
    /// Runs a relay (recording every frame it is sent) while `body` runs.
    static func withRelay<Result: Sendable>(
        port: Int = 0,
        trace: Locked<[String]> = Locked([]),
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        try await RelayServer { frame in trace.withLock { $0.append(frame) } }.withRunningServer(port: port, body)
    }

    @Test(arguments: RelaySealing.AEAD.allCases)
    func anAppPairsWithAWalletThroughTheRelay(cipher: RelaySealing.AEAD) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let wallet = try await Wallet.open(home: WalletHome(path: folder.path))
        let client = ProxyEngine.makeHTTPClient()
        do {
            try await wallet.initialize(password: "Pairing-Password-1", iterations: 100_000)
            try await MockProvider.withRunningServer(configuration: .init()) { mockPort in
                try await wallet.addCredential(
                    provider: .anthropic,
                    secret: SecretString("sk-mock"),
                    baseURL: "http://127.0.0.1:\(mockPort)"
                )
                let trace = Locked<[String]>([])
                try await Self.withRelay(trace: trace) { relayPort in
                    let engine = ProxyEngine(wallet: wallet, httpClient: client)
                    let code = Mutex<String?>(nil)
                    var options = Byoky.Options(
                        appName: "Phone-less app",
                        connectTimeout: .seconds(20),
                        relayURL: "ws://127.0.0.1:\(relayPort)",
                        appOrigin: "https://app.example"
                    )
                    options.pairingCipher = cipher
                    let byoky = Byoky(options: options)
                    // The owner's side: waits for the code the app shows, then runs `byoky pair <code>`.
                    let owner = Task {
                        var shown: String?
                        // Bounded by time, not by a count of polls: beside the relay's suites the
                        // code once took longer than 400 polls of 10 ms to show.
                        let deadline = ContinuousClock.now + .seconds(20)
                        while shown == nil, ContinuousClock.now < deadline {
                            shown = code.withLock { $0 }
                            if shown == nil { try await Task.sleep(for: .milliseconds(10)) }
                        }
                        let text = try #require(shown)
                        let payload = try #require(PairingPayload.decode(text))
                        #expect(payload.appOrigin == "https://app.example")
                        #expect((payload.aead ?? .chaCha20Poly1305) == cipher)
                        try await PairingHost(payload: payload, wallet: wallet, engine: engine, providers: [.anthropic])
                            .run()
                    }
                    let session = try await byoky.connect(
                        providers: [ProviderRequirement(id: .anthropic, required: true)],
                        useRelay: true
                    ) { pairingCode in code.withLock { $0 = pairingCode } }
                    #expect(session.isPaired)
                    #expect(session.providers["anthropic"]?.available == true)
                    #expect(await session.isConnected())

                    let fetch = session.createFetch(.anthropic)
                    let plain = try await fetch(
                        ByokyFetch.Request(
                            url: "https://api.anthropic.com/v1/messages",
                            headers: [("content-type", "application/json")],
                            body: Array(
                                #"{"model":"claude-sonnet-4-6","max_tokens":32,"messages":[{"role":"user","content":"paired"}]}"#
                                    .utf8
                            )
                        )
                    )
                    #expect(plain.status == 200)
                    #expect(
                        String(buffer: try await plain.body.collect(upTo: 1_048_576)).contains("Mock reply to: paired")
                    )
                    let streamed = try await fetch(
                        ByokyFetch.Request(
                            url: "https://api.anthropic.com/v1/messages",
                            headers: [("content-type", "application/json")],
                            body: Array(
                                #"{"model":"claude-sonnet-4-6","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"paired"}]}"#
                                    .utf8
                            )
                        )
                    )
                    let events = String(buffer: try await streamed.body.collect(upTo: 1_048_576))
                    #expect(events.contains("event: message_stop"))
                    // A URL that is not the provider's never leaves the app.
                    await #expect(throws: ByokyError.self) {
                        _ = try await fetch(ByokyFetch.Request(url: "https://evil.example/v1/messages", body: []))
                    }
                    // The wallet served them under its own rules and logged them.
                    let log = try await wallet.store.requestLog()
                    #expect(log.count == 2)
                    #expect(
                        log.allSatisfy { $0.appName == "https://app.example (paired, unverified)" && $0.status == 200 }
                    )
                    // The app sees the session's usage, as on a local session.
                    var usage = try await session.usage()
                    for _ in 0..<200 where usage.requests < 2 {
                        try await Task.sleep(for: .milliseconds(10))
                        usage = try await session.usage()
                    }
                    #expect(usage.requests == 2)
                    #expect(usage.byProvider["anthropic"]?.outputTokens ?? 0 > 0)
                    // The relay routed only ciphertext: no prompt, no answer.
                    let frames = trace.withLock { $0 }
                    #expect(frames.contains { $0.contains("relay:request:sealed") })
                    #expect(frames.contains { $0.contains("relay:pair:hello") && $0.contains("proof") })
                    #expect(
                        !frames.contains {
                            $0.contains("paired\"") || $0.contains("Mock reply") || $0.contains("claude-sonnet")
                        }
                    )
                    // The wallet going away makes the app's requests fail fast.
                    owner.cancel()
                    for _ in 0..<200 where await session.isConnected() { try await Task.sleep(for: .milliseconds(20)) }
                    #expect(await !session.isConnected())
                    do {
                        _ = try await fetch(ByokyFetch.Request(url: "https://api.anthropic.com/v1/messages", body: []))
                        Issue.record("requests must fail once the wallet left")
                    } catch let error as ByokyError {
                        #expect(error.code == .relayDisconnected)
                    }
                    try await session.disconnect()
                }
            }
        } catch {
            try? await client.shutdown()
            try? await wallet.close()
            throw error
        }
        try await client.shutdown()
        try await wallet.close()
    }
}

extension PairingTests {
    @Test func aDroppedRelayComesBackAndThePairingGoesOn() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let wallet = try await Wallet.open(home: WalletHome(path: folder.path))
        let client = ProxyEngine.makeHTTPClient()
        do {
            try await wallet.initialize(password: "Pairing-Password-1", iterations: 100_000)
            try await MockProvider.withRunningServer(configuration: .init()) { mockPort in
                try await wallet.addCredential(
                    provider: .anthropic,
                    secret: SecretString("sk-mock"),
                    baseURL: "http://127.0.0.1:\(mockPort)"
                )
                // A free port to bring the relay back on.
                let relayPort = try await Self.withRelay { $0 }
                let engine = ProxyEngine(wallet: wallet, httpClient: client)
                let code = Mutex<String?>(nil)
                let byoky = Byoky(
                    options: .init(
                        appName: "Flaky network app",
                        connectTimeout: .seconds(20),
                        relayURL: "ws://127.0.0.1:\(relayPort)"
                    )
                )
                let request = ByokyFetch.Request(
                    url: "https://api.anthropic.com/v1/messages",
                    headers: [("content-type", "application/json")],
                    body: Array(
                        #"{"model":"claude-sonnet-4-6","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}"#
                            .utf8
                    )
                )
                let owner = Task {
                    var shown: String?
                    for _ in 0..<1000 where shown == nil {
                        shown = code.withLock { $0 }
                        if shown == nil { try await Task.sleep(for: .milliseconds(10)) }
                    }
                    let text = try #require(shown)
                    let payload = try #require(PairingPayload.decode(text))
                    try await PairingHost(payload: payload, wallet: wallet, engine: engine, providers: [.anthropic])
                        .run()
                }
                // On every way out, failures included, so the wallet's side stops reconnecting.
                defer { owner.cancel() }
                let session = try await Self.withRelay(port: relayPort) { _ in
                    let session = try await byoky.connect(
                        providers: [ProviderRequirement(id: .anthropic, required: true)],
                        useRelay: true
                    ) { pairingCode in code.withLock { $0 = pairingCode } }
                    #expect(try await session.createFetch(.anthropic)(request).status == 200)
                    return session
                }
                // The relay is gone: requests fail at once, they do not hang.
                for _ in 0..<200 where await session.isConnected() { try await Task.sleep(for: .milliseconds(20)) }
                let started = ContinuousClock.now
                do {
                    _ = try await session.createFetch(.anthropic)(request)
                    Issue.record("requests must fail while the relay is down")
                } catch let error as ByokyError {
                    #expect(error.code == .relayDisconnected)
                }
                #expect(ContinuousClock.now - started < .seconds(5))
                // The relay comes back on the same address: both sides reconnect on their own.
                try await Self.withRelay(port: relayPort) { _ in
                    var status = 0
                    for _ in 0..<300 where status != 200 {
                        status = (try? await session.createFetch(.anthropic)(request).status) ?? 0
                        if status != 200 { try await Task.sleep(for: .milliseconds(100)) }
                    }
                    #expect(status == 200)
                }
                owner.cancel()
                try await session.disconnect()
            }
        } catch {
            try? await client.shutdown()
            try? await wallet.close()
            throw error
        }
        try await client.shutdown()
        try await wallet.close()
    }
}
