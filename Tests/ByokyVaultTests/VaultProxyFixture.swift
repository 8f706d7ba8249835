import ByokyCore
import ByokyMockProvider
import ByokyTesting
import ByokyVault
import Foundation
import NIOHTTP1
import Testing

/// A vault with one account whose synced keys point at the mock provider, on a real database.
struct VaultProxyFixture: Sendable {
    /// The upstream key: it reaches the mock only through `/proxy`, never an app.
    static let canary = "sk-vault-upstream-CANARY-77"
    static let username = "proxy_owner"

    let vault: VaultFixture
    /// The owner's login token.
    let login: String
    let mockPort: Int
    let upstream: Locked<[MockProvider.ObservedRequest]>

    static func with(
        on database: TestDatabase = .sqlite,
        _ base: VaultConfiguration = .init(),
        providers: [ProviderID] = [.anthropic, .openai, .gemini, .cohere],
        _ body: @Sendable (VaultProxyFixture) async throws -> Void
    ) async throws {
        let upstream = Locked<[MockProvider.ObservedRequest]>([])
        let mock = MockProvider.Configuration(apiKey: canary) { request in upstream.withLock { $0.append(request) } }
        try await MockProvider.withRunningServer(configuration: mock) { mockPort in
            try await VaultFixture.with(on: database, base) { vault in
                let login = try #require(try await vault.signUp(username).json["token"] as? String)
                for provider in providers {
                    let upload = VaultCredentialUpload(
                        provider: provider.rawValue,
                        label: "\(provider.rawValue) key",
                        secret: canary,
                        baseUrl: "http://127.0.0.1:\(mockPort)",
                        updatedAt: VaultFixture.start - 1000
                    )
                    let answer = try await vault.send(
                        .PUT,
                        "/credentials/key-\(provider.rawValue)",
                        json: String(decoding: WalletAPI.encode(upload), as: UTF8.self),
                        token: login
                    )
                    guard answer.status == 200 else { throw FixtureError("upload: \(answer.text)") }
                }
                try await body(VaultProxyFixture(vault: vault, login: login, mockPort: mockPort, upstream: upstream))
            }
        }
    }

    /// Connects an app (a program unless `origin` is given) and returns its session key.
    func connect(
        _ providers: [ProviderID] = [.anthropic],
        appName: String? = "Vault test app",
        appOrigin: String? = nil,
        origin: String? = nil
    ) async throws -> String {
        let answer = try await connectAnswer(providers, appName: appName, appOrigin: appOrigin, origin: origin)
        guard answer.status == 201, let key = answer.json["sessionKey"] as? String else {
            throw FixtureError("connect: \(answer.status) \(answer.text)")
        }
        return key
    }

    func connectAnswer(
        _ providers: [ProviderID],
        appName: String? = "Vault test app",
        appOrigin: String? = nil,
        origin: String? = nil
    ) async throws -> LoopbackAnswer {
        let request = VaultConnectRequest(
            providers: providers.map { ProviderRequirement(id: $0, required: true) },
            appOrigin: appOrigin,
            appName: appName
        )
        return try await vault.send(
            .POST,
            "/connect",
            json: String(decoding: WalletAPI.encode(request), as: UTF8.self),
            token: login,
            headers: origin.map { [("origin", $0)] } ?? []
        )
    }

    /// An Anthropic Messages request through `/proxy` with `key` as the SDK's API key.
    func messages(
        key: String,
        stream: Bool = false,
        maxTokens: Int = 64,
        origin: String? = nil,
        path: String = "/proxy/anthropic/v1/messages"
    ) async throws -> LoopbackAnswer {
        let body = """
            {"model":"claude-sonnet-4-5","max_tokens":\(maxTokens),"stream":\(stream),\
            "messages":[{"role":"user","content":"Say hello"}]}
            """
        var headers = [("x-api-key", key), ("anthropic-version", "2023-06-01")]
        if let origin { headers.append(("origin", origin)) }
        return try await vault.send(.POST, path, json: body, headers: headers)
    }

    /// Requests that reached the mock with the upstream key.
    var keyedUpstreamRequests: Int { upstream.withLock { $0.filter(\.carriedKey).count } }
}
