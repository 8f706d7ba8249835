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
import NIOHTTP1
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Session events and the life of a session across a wallet restart.
@Suite(.timeLimit(.minutes(2)))
struct SessionLifecycleTests {
    /// Approves the first connect request `daemon` receives.
    static func approveFirst(_ daemon: WalletDaemon, wallet: Wallet, bridge: String) async throws {
        for _ in 0..<200 {
            if let pending = daemon.approvals.pending(now: wallet.now()).first {
                daemon.approvals.decide(pending.id, try await wallet.approve(pending, bridgeURL: bridge))
                return
            }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    static func waitFor(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<400 where !condition() { try await Task.sleep(for: .milliseconds(25)) }
    }

    @Test func handlersHearProviderUpdatesAndTheEndEvenAcrossAWalletRestart() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let sessionFile = folder.path + "/session.json"
        let wallet = try await Wallet.open(home: WalletHome(path: folder.path + "/wallet"))
        let client = ProxyEngine.makeHTTPClient()
        let port = try await RestartablePort.make()
        let bridge = "http://127.0.0.1:\(port)"
        let updates = Mutex<[[String: ProviderAvailability]]>([])
        let ended = Mutex(false)
        do {
            try await wallet.initialize(password: "Lifecycle-Password-1", iterations: 100_000)
            try await MockProvider.withRunningServer(configuration: .init()) { mockPort in
                for provider in [ProviderID.anthropic, .openai] {
                    try await wallet.addCredential(
                        provider: provider,
                        secret: SecretString("sk-mock"),
                        baseURL: "http://127.0.0.1:\(mockPort)"
                    )
                }
                let byoky = Byoky(options: .init(appName: "Lifecycle app", bridgeURL: bridge, sessionFile: sessionFile))
                let daemon = WalletDaemon(wallet: wallet, httpClient: client, configuration: .init(port: port))
                let session = try await daemon.withRunningServer { _ in
                    async let approval: Void = Self.approveFirst(daemon, wallet: wallet, bridge: bridge)
                    let session = try await byoky.connect(providers: [
                        ProviderRequirement(id: .anthropic, required: true), ProviderRequirement(id: .openai),
                    ])
                    try await approval
                    session.onProvidersUpdated { providers in updates.withLock { $0.append(providers) } }
                    session.onDisconnect { ended.withLock { $0 = true } }
                    try await Task.sleep(for: .milliseconds(200))
                    return session
                }
                // The wallet stopped. Start it again on the same port: the session is still valid.
                let restarted = WalletDaemon(wallet: wallet, httpClient: client, configuration: .init(port: port))
                try await restarted.withRunningServer { _ in
                    let restored = try #require(await byoky.tryReconnect())
                    #expect(restored.sessionKey == session.sessionKey)
                    let answer = try await restored.createFetch(.anthropic)(
                        ByokyFetch.Request(
                            url: "https://api.anthropic.com/v1/messages",
                            headers: [("content-type", "application/json")],
                            body: Array(
                                #"{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"again"}]}"#.utf8
                            )
                        )
                    )
                    #expect(answer.status == 200)
                    // The original session's watcher found the restarted wallet by itself.
                    try await Task.sleep(for: .milliseconds(800))
                    try await wallet.removeCredential("OpenAI")
                    try await Self.waitFor { !updates.withLock { $0.isEmpty } }
                    #expect(updates.withLock { $0.last?["openai"]?.available } == false)
                    #expect(session.providers["openai"]?.available == false)
                    #expect(!ended.withLock { $0 })
                    let record = try #require(try await wallet.store.sessions().first { $0.appName == "Lifecycle app" })
                    try await wallet.revokeSession(id: record.id)
                    try await Self.waitFor { ended.withLock { $0 } }
                    #expect(ended.withLock { $0 })
                    #expect(await byoky.tryReconnect() == nil)
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

extension SessionLifecycleTests {
    @Test func aSessionBoundToAWebOriginSendsItEverywhere() async throws {
        try await ByokySDKTests.withWallet { bridge, wallet in
            let byoky = Byoky(
                options: .init(appName: "Web notes", bridgeURL: bridge, appOrigin: "https://notes.example")
            )
            let session = try await byoky.connect(providers: [ProviderRequirement(id: .anthropic, required: true)])
            #expect(session.appOrigin == "https://notes.example")
            let record = try #require(try await wallet.store.sessions().first { $0.appName == "Web notes" })
            #expect(record.appOrigin == "https://notes.example")
            let answer = try await session.createFetch(.anthropic)(
                ByokyFetch.Request(
                    url: "https://api.anthropic.com/v1/messages",
                    headers: [("content-type", "application/json")],
                    body: Array(#"{"model":"m","max_tokens":8,"messages":[{"role":"user","content":"web"}]}"#.utf8)
                )
            )
            #expect(answer.status == 200)
            #expect(await session.isConnected())
            #expect(try await session.usage().requests == 1)
            // The same key without the origin is refused: a stolen key is useless to another page or program.
            var request = HTTPClientRequest(url: bridge + "/anthropic/v1/messages")
            request.method = .POST
            request.headers.add(name: "x-api-key", value: session.sessionKey)
            request.body = .bytes(ByteBuffer(string: #"{"model":"m","max_tokens":8,"messages":[]}"#))
            let refused = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
            #expect(refused.status.code == 403)
        }
    }
}

extension SessionLifecycleTests {
    @Test func aURLSessionConfigurationRoutesProviderRequestsThroughTheWallet() async throws {
        try await ByokySDKTests.withWallet { bridge, _ in
            let session = try await Byoky(options: .init(appName: "URLSession app", bridgeURL: bridge))
                .connect(providers: [ProviderRequirement(id: .openai, required: true)])
            let urlSession = URLSession(configuration: session.makeURLSessionConfiguration())
            var request = URLRequest(url: URL(string: "https://api.openai.com/v1/chat/completions")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("Bearer sk-the-app-never-had-one", forHTTPHeaderField: "Authorization")
            request.httpBody = Data(
                #"{"model":"gpt-5.5","messages":[{"role":"user","content":"via configuration"}]}"#.utf8
            )
            let (data, response) = try await urlSession.data(for: request)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self).contains("Mock reply to: via configuration"))
        }
    }
}

extension SessionLifecycleTests {
    @Test func connectGivesUpWithATimeoutWhenTheOwnerNeverAnswers() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let wallet = try await Wallet.open(home: WalletHome(path: folder.path))
        let client = ProxyEngine.makeHTTPClient()
        do {
            try await wallet.initialize(password: "Timeout-Password-1", iterations: 100_000)
            let daemon = WalletDaemon(wallet: wallet, httpClient: client, configuration: .init(port: 0))
            try await daemon.withRunningServer { port in
                let byoky = Byoky(
                    options: .init(
                        appName: "Patient app",
                        bridgeURL: "http://127.0.0.1:\(port)",
                        connectTimeout: .seconds(1)
                    )
                )
                let started = ContinuousClock.now
                do {
                    _ = try await byoky.connect(providers: [ProviderRequirement(id: .anthropic)])
                    Issue.record("connect should time out")
                } catch let error as ByokyError {
                    #expect(error.code == .timeout)
                }
                #expect(ContinuousClock.now - started < .seconds(10))
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

extension SessionLifecycleTests {
    /// A change made while the wallet was away reaches the handlers once it is back: the watcher
    /// reads the session again whenever its event stream reconnects.
    @Test func aProviderChangeMadeWhileTheWalletWasAwayIsHeardWhenItReturns() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let wallet = try await Wallet.open(home: WalletHome(path: folder.path + "/wallet"))
        let client = ProxyEngine.makeHTTPClient()
        let port = try await RestartablePort.make()
        let bridge = "http://127.0.0.1:\(port)"
        let updates = Mutex<[[String: ProviderAvailability]]>([])
        do {
            try await wallet.initialize(password: "Lifecycle-Password-2", iterations: 100_000)
            for provider in [ProviderID.anthropic, .openai] {
                try await wallet.addCredential(
                    provider: provider,
                    secret: SecretString("sk-mock"),
                    baseURL: "http://127.0.0.1:9"
                )
            }
            let byoky = Byoky(options: .init(appName: "Away app", bridgeURL: bridge))
            let daemon = WalletDaemon(wallet: wallet, httpClient: client, configuration: .init(port: port))
            let session = try await daemon.withRunningServer { _ in
                async let approval: Void = Self.approveFirst(daemon, wallet: wallet, bridge: bridge)
                let session = try await byoky.connect(providers: [
                    ProviderRequirement(id: .anthropic), ProviderRequirement(id: .openai),
                ])
                try await approval
                session.onProvidersUpdated { providers in updates.withLock { $0.append(providers) } }
                try await Task.sleep(for: .milliseconds(300))
                return session
            }
            // The wallet is down: no event can carry this change.
            try await wallet.removeCredential("OpenAI")
            try await Task.sleep(for: .milliseconds(500))
            #expect(updates.withLock { $0.isEmpty })
            let restarted = WalletDaemon(wallet: wallet, httpClient: client, configuration: .init(port: port))
            try await restarted.withRunningServer { _ in
                try await Self.waitFor { !updates.withLock { $0.isEmpty } }
                #expect(updates.withLock { $0.last?["openai"]?.available } == false)
                #expect(session.providers["openai"]?.available == false)
                #expect(updates.withLock { $0.count } == 1)
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
