public import ByokyCore
import Foundation
import NIOHTTP1

/// A connection the owner approved: the app's stand-in for API keys.
public final class ByokySession: Sendable {
    /// The session key. Give it to a provider SDK as its API key, with ``baseURL(for:)`` as its base URL.
    public let sessionKey: String
    /// The wallet's bridge address.
    public let proxyURL: String
    /// What the session may use, by provider id.
    public let providers: [String: ProviderAvailability]
    /// When the session ends (Unix milliseconds).
    public let expiresAt: Int64

    /// Where the session is saved between launches, if anywhere.
    let file: String?

    init(response: ConnectResponse, bridgeURL: String, file: String? = nil) {
        self.file = file
        sessionKey = response.sessionKey
        proxyURL = response.proxyUrl.isEmpty ? bridgeURL : response.proxyUrl
        providers = response.providers
        expiresAt = response.expiresAt
    }

    /// The base URL a provider SDK should use for `provider` (OpenAI-style clients: the `/v1` form).
    public func baseURL(for provider: ProviderID) -> String {
        "\(proxyURL)/\(provider.rawValue)"
    }

    /// A fetch function that sends requests written for `provider`'s real URL through the wallet.
    public func createFetch(_ provider: ProviderID) -> ByokyFetch {
        ByokyFetch(provider: provider, bridgeURL: proxyURL, sessionKey: sessionKey)
    }

    /// Requests and tokens used by this session so far.
    public func usage() async throws -> SessionUsage {
        try await WalletClient.send(.GET, proxyURL + "/v1/session/usage", headers: authHeaders, as: SessionUsage.self)
    }

    /// Whether the wallet still honours this session.
    public func isConnected() async -> Bool {
        let status = try? await WalletClient.send(
            .GET,
            proxyURL + "/v1/session",
            headers: authHeaders,
            as: SessionStatus.self
        )
        return status?.connected == true
    }

    /// Saves the session for the next launch (owner-only file).
    func save() {
        guard let file else { return }
        let saved = ConnectResponse(
            sessionKey: sessionKey,
            proxyUrl: proxyURL,
            providers: providers,
            expiresAt: expiresAt
        )
        _ = FileManager.default.createFile(
            atPath: file,
            contents: Data(WalletAPI.encode(saved)),
            attributes: [.posixPermissions: 0o600]
        )
    }

    /// Ends the session; the key stops working at once.
    public func disconnect() async throws {
        if let file { try? FileManager.default.removeItem(atPath: file) }
        _ = try await WalletClient.send(
            .POST,
            proxyURL + "/v1/session/disconnect",
            headers: authHeaders,
            as: SessionStatus.self
        )
    }

    private var authHeaders: [(String, String)] { [("x-api-key", sessionKey)] }
}
