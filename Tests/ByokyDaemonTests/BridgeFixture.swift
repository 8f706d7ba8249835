import AsyncHTTPClient
import ByokyCore
import ByokyDaemon
import ByokyMockProvider
import ByokyTesting
import ByokyWallet
import Foundation
import NIOCore
import NIOHTTP1

/// A real wallet (SQLite in a temporary folder), the mock provider and the daemon, all on loopback.
struct BridgeFixture: Sendable {
    /// The upstream key: it must never leave the wallet except to the mock.
    static let canary = "sk-upstream-CANARY-4242"

    let wallet: Wallet
    let daemon: WalletDaemon
    let port: Int
    let sessionKey: String
    let folder: TemporaryFolder
    /// The mock provider's port (for credentials of more providers).
    let mockPort: Int
    /// Every request that reached the mock provider.
    let upstreamRequests: Locked<[MockProvider.ObservedRequest]>
    /// The JSON bodies the mock read, in order.
    let upstreamBodies: Locked<[MockProvider.ObservedBody]>

    static func with(
        grant providers: [ProviderID] = [],
        maximumRequestBodySize: Int = 32 * 1024 * 1024,
        autoLockAfter: Duration? = nil,
        upstreamEventDelay: Duration = .zero,
        upstreamResponseDelay: Duration = .zero,
        beforeUpstreamStreamEnd: (@Sendable () async throws -> Void)? = nil,
        appCatalogueURL: String? = nil,
        clientIdleTimeout: Duration? = ServerLimits.clientIdleTimeout,
        shutdownGrace: Duration = .seconds(10),
        _ body: @Sendable (BridgeFixture) async throws -> Void
    ) async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let wallet = try await Wallet.open(home: WalletHome(path: folder.path))
        let httpClient = ProxyEngine.makeHTTPClient()
        let upstreamRequests = Locked<[MockProvider.ObservedRequest]>([])
        let upstreamBodies = Locked<[MockProvider.ObservedBody]>([])
        do {
            try await wallet.initialize(password: "Fixture-Password-77", iterations: 100_000)
            let mock = MockProvider.Configuration(
                apiKey: canary,
                responseDelay: upstreamResponseDelay,
                eventDelay: upstreamEventDelay,
                onRequest: { request in upstreamRequests.withLock { $0.append(request) } },
                onBody: { body in upstreamBodies.withLock { $0.append(body) } },
                beforeStreamEnd: beforeUpstreamStreamEnd
            )
            try await MockProvider.withRunningServer(configuration: mock) { mockPort in
                for provider in [ProviderID.anthropic, .openai, .gemini, .cohere] {
                    try await wallet.addCredential(
                        provider: provider,
                        secret: SecretString(canary),
                        baseURL: "http://127.0.0.1:\(mockPort)"
                    )
                }
                let grant = try await wallet.createSession(app: AppIdentity(name: "Bridge test"), providers: providers)
                var configuration = WalletDaemon.Configuration(
                    port: 0,
                    proxy: .init(maximumRequestBodySize: maximumRequestBodySize),
                    controlSocketPath: folder.path + "/control.sock",
                    autoLockAfter: autoLockAfter
                )
                if let appCatalogueURL { configuration.appCatalogueURL = appCatalogueURL }
                configuration.clientIdleTimeout = clientIdleTimeout
                let daemon = WalletDaemon(wallet: wallet, httpClient: httpClient, configuration: configuration)
                try await daemon.withRunningServer(shutdownGrace: shutdownGrace) { port in
                    try await body(
                        BridgeFixture(
                            wallet: wallet,
                            daemon: daemon,
                            port: port,
                            sessionKey: grant.key.exposedValue,
                            folder: folder,
                            mockPort: mockPort,
                            upstreamRequests: upstreamRequests,
                            upstreamBodies: upstreamBodies
                        )
                    )
                }
            }
        } catch {
            try? await httpClient.shutdown()
            try? await wallet.close()
            throw error
        }
        try await httpClient.shutdown()
        try await wallet.close()
    }

    struct Exchange: Sendable {
        let status: Int
        let headers: [(String, String)]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name }?.1 }
    }

    func send(
        _ method: HTTPMethod = .POST,
        _ path: String,
        body: String? = nil,
        bytes: [UInt8]? = nil,
        headers: [(String, String)] = []
    ) async throws -> Exchange {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        if let bytes { request.body = .bytes(ByteBuffer(bytes: bytes)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Exchange(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Array(collected.readableBytesView)
        )
    }

    /// Sends a request to the owner's control socket.
    func control(_ method: HTTPMethod, _ path: String, body: String? = nil) async throws -> Exchange {
        let socket = (folder.path + "/control.sock").replacingOccurrences(of: "/", with: "%2F")
        var request = HTTPClientRequest(url: "http+unix://\(socket)\(path)")
        request.method = method
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 1_048_576)
        return Exchange(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Array(collected.readableBytesView)
        )
    }

    /// The auth header a stock SDK of `provider` would send with the session key.
    func authHeader(for provider: ProviderID) -> (String, String) {
        switch provider {
        case .anthropic: ("x-api-key", sessionKey)
        case .gemini: ("x-goog-api-key", sessionKey)
        default: ("authorization", "Bearer \(sessionKey)")
        }
    }
}
