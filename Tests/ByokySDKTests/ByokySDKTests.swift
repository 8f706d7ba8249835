import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyMockProvider
import ByokySDK
import ByokyStore
import ByokyTesting
import ByokyWallet
import Foundation
import NIOCore
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Swift SDK against a real wallet daemon and the mock provider.
@Suite(.timeLimit(.minutes(2)))
struct ByokySDKTests {
    /// Runs a wallet with anthropic and openai keys (pointed at the mock) and a daemon; `owner`
    /// answers connect requests the way `byoky approve`/`deny` would.
    static func withWallet(
        approve: Bool = true,
        upstreamEventDelay: Duration = .zero,
        _ body: @Sendable (String, Wallet) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let wallet = try await Wallet.open(home: WalletHome(path: folder.path))
        let client = ProxyEngine.makeHTTPClient()
        do {
            try await wallet.initialize(password: "SDK-Test-Password-1", iterations: 100_000)
            try await MockProvider.withRunningServer(configuration: .init(eventDelay: upstreamEventDelay)) { mockPort in
                for provider in [ProviderID.anthropic, .openai] {
                    try await wallet.addCredential(
                        provider: provider,
                        secret: SecretString("sk-mock"),
                        baseURL: "http://127.0.0.1:\(mockPort)"
                    )
                }
                let daemon = WalletDaemon(wallet: wallet, httpClient: client, configuration: .init(port: 0))
                try await daemon.withRunningServer { port in
                    let bridge = "http://127.0.0.1:\(port)"
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            // The owner: answers the first connect request that arrives.
                            for _ in 0..<200 {
                                if let pending = daemon.approvals.pending(now: wallet.now()).first {
                                    let status =
                                        approve
                                        ? try await wallet.approve(pending, bridgeURL: bridge)
                                        : ConnectStatus(
                                            requestId: pending.id,
                                            status: .denied,
                                            error: WireError(ByokyError.userRejected())
                                        )
                                    daemon.approvals.decide(pending.id, status)
                                    return
                                }
                                try await Task.sleep(for: .milliseconds(50))
                            }
                        }
                        try await body(bridge, wallet)
                        try await group.waitForAll()
                    }
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

    @Test func connectFetchStreamUsageAndDisconnect() async throws {
        try await Self.withWallet { bridge, wallet in
            let sessionFile = FileManager.default.temporaryDirectory.appendingPathComponent(
                "byoky-sdk-\(UUID().uuidString).json"
            ).path
            defer { try? FileManager.default.removeItem(atPath: sessionFile) }
            let byoky = Byoky(options: .init(appName: "SDK test", bridgeURL: bridge, sessionFile: sessionFile))
            #expect(await byoky.tryReconnect() == nil)
            #expect(await byoky.isWalletRunning())
            let session = try await byoky.connect(providers: [
                ProviderRequirement(id: .anthropic, required: true), ProviderRequirement(id: .gemini),
                ProviderRequirement(id: .openai),
            ])
            #expect(session.sessionKey.hasPrefix("byk_"))
            #expect(session.providers["anthropic"]?.available == true)
            #expect(session.providers["gemini"]?.available == false)
            #expect(session.baseURL(for: .anthropic) == "\(bridge)/anthropic")

            let fetch = session.createFetch(.anthropic)
            let body = Array(
                #"{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"From Swift"}]}"#
                    .utf8
            )
            let plain = try await fetch(
                ByokyFetch.Request(
                    url: "https://api.anthropic.com/v1/messages",
                    headers: [("content-type", "application/json")],
                    body: body
                )
            )
            #expect(plain.status == 200)
            let text = String(buffer: try await plain.body.collect(upTo: 1_048_576))
            #expect(text.contains("Mock reply to: From Swift"))

            let streamBody = Array(
                #"{"model":"claude-sonnet-4-6","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Stream"}]}"#
                    .utf8
            )
            let streamed = try await fetch(
                ByokyFetch.Request(
                    url: "https://api.anthropic.com/v1/messages",
                    headers: [("content-type", "application/json")],
                    body: streamBody
                )
            )
            var decoder = SSEDecoder()
            var events: [ServerSentEvent] = []
            for try await chunk in streamed.body { events += try decoder.feed(Array(chunk.readableBytesView)) }
            #expect(events.last?.type == "message_stop")

            await #expect(throws: ByokyError(.invalidURL, "")) {
                _ = try await fetch(ByokyFetch.Request(url: "https://api.anthropic.com.evil.example/v1/messages"))
            }

            var urlRequest = URLRequest(url: URL(string: "https://api.openai.com/v1/chat/completions")!)
            urlRequest.httpMethod = "POST"
            urlRequest.setValue("Bearer sk-should-be-dropped", forHTTPHeaderField: "Authorization")
            urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type")
            urlRequest.httpBody = Data(
                #"{"model":"gpt-5.5","messages":[{"role":"user","content":"via URLSession"}]}"#.utf8
            )
            let authorized = try session.authorize(urlRequest, for: .openai)
            #expect(authorized.url?.absoluteString == "\(bridge)/openai/v1/chat/completions")
            #expect(authorized.value(forHTTPHeaderField: "Authorization") == "Bearer \(session.sessionKey)")
            let (data, urlResponse) = try await URLSession.shared.data(for: authorized)
            #expect((urlResponse as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("Mock reply to: via URLSession"))
            #expect(throws: ByokyError(.invalidURL, "")) {
                try session.authorize(
                    URLRequest(url: URL(string: "https://evil.example/v1/chat/completions")!),
                    for: .openai
                )
            }

            let walletEvents = try await session.events()
            async let firstEvent: WalletEvent? = {
                var iterator = walletEvents.makeAsyncIterator()
                return try await iterator.next()
            }()
            try await wallet.removeCredential("OpenAI")
            let update = try await firstEvent
            #expect(update?.type == .providersUpdated)

            let usage = try await session.usage()
            #expect(usage.requests == 3)
            #expect(usage.byProvider["anthropic"]?.outputTokens == 24)
            #expect(await session.isConnected())
            let attributes = try FileManager.default.attributesOfItem(atPath: sessionFile)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let restored = await byoky.tryReconnect()
            #expect(restored?.sessionKey == session.sessionKey)
            try await session.disconnect()
            #expect(await byoky.tryReconnect() == nil)
            #expect(!FileManager.default.fileExists(atPath: sessionFile))
            #expect(await !session.isConnected())
            let after = try await fetch(ByokyFetch.Request(url: "https://api.anthropic.com/v1/messages", body: body))
            #expect(after.status == 401)
        }
    }

    @Test func deniedAndMissingWalletsRaiseTypedErrors() async throws {
        try await Self.withWallet(approve: false) { bridge, _ in
            let byoky = Byoky(options: .init(appName: "Denied app", bridgeURL: bridge))
            await #expect(throws: ByokyError(.userRejected, "")) {
                _ = try await byoky.connect(providers: [ProviderRequirement(id: .anthropic)])
            }
        }
        let nowhere = Byoky(options: .init(appName: "x", bridgeURL: "http://127.0.0.1:9"))
        #expect(await !nowhere.isWalletRunning())
        do {
            _ = try await nowhere.connect(providers: [ProviderRequirement(id: .anthropic)])
            Issue.record("connect should fail without a wallet")
        } catch let error as ByokyError {
            #expect(error.code == .walletNotInstalled)
            #expect(error.message.contains("byoky serve"))
        }
        // No vault on loopback: said as such (the vault's own errors are in ByokyVaultTests.VaultSDKTests).
        await #expect(throws: ByokyError(.serviceUnavailable, "")) {
            _ = try await nowhere.connectViaVault(
                vaultURL: "http://127.0.0.1:9",
                username: "u",
                password: "p",
                providers: [ProviderRequirement(id: .anthropic)]
            )
        }
        let noRelay = Byoky(options: .init(appName: "x", bridgeURL: "http://127.0.0.1:9", relayURL: "ws://127.0.0.1:9"))
        await #expect(throws: ByokyError(.relayConnectionFailed, "")) {
            _ = try await noRelay.connect(providers: [ProviderRequirement(id: .anthropic)], useRelay: true) { _ in
                Issue.record("no pairing code without a relay")
            }
        }
        let plainRelay = Byoky(options: .init(appName: "x", relayURL: "ws://relay.example"))
        await #expect(throws: ByokyError(.invalidURL, "")) {
            _ = try await plainRelay.connect(providers: [ProviderRequirement(id: .anthropic)], useRelay: true)
        }
    }
}

/// Cancelling a streaming fetch reaches the wallet, which stops and records what was used.
@Suite(.timeLimit(.minutes(3)))
struct ByokySDKCancellationTests {
    @Test func cancellingAFetchMidStreamIsSeenByTheWallet() async throws {
        try await ByokySDKTests.withWallet(upstreamEventDelay: .milliseconds(20)) { bridge, wallet in
            let session = try await Byoky(options: .init(appName: "Cancel test", bridgeURL: bridge)).connect(
                providers: [ProviderRequirement(id: .anthropic)]
            )
            let fetch = session.createFetch(.anthropic)
            let body = Array(
                #"{"model":"mock-words-100000","max_tokens":1000,"stream":true,"messages":[{"role":"user","content":"go"}]}"#
                    .utf8
            )
            let reader = Task {
                let response = try await fetch(
                    ByokyFetch.Request(url: "https://api.anthropic.com/v1/messages", body: body)
                )
                var received = 0
                for try await chunk in response.body { received += chunk.readableBytes }
                return received
            }
            try await Task.sleep(for: .milliseconds(300))
            reader.cancel()
            _ = try? await reader.value
            // The paced stream would take over half an hour, so only a detected hang-up ends it.
            var entry: RequestLogRecord?
            let deadline = ContinuousClock.now + .seconds(25)
            while entry == nil, ContinuousClock.now < deadline {
                entry = try await wallet.store.requestLog().first
                if entry == nil { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(entry?.errorCode == "CLIENT_CLOSED")
        }
    }
}
