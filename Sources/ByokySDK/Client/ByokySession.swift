public import ByokyCore
import Foundation
import NIOHTTP1

/// A connection the owner approved: the app's stand-in for API keys.
public final class ByokySession: Sendable {
    /// The session key. Give it to a provider SDK as its API key, with ``baseURL(for:)`` as its base URL.
    public let sessionKey: String
    /// The wallet's bridge address.
    public let proxyURL: String
    /// When the session ends (Unix milliseconds; 0 for a paired session, which lasts while the wallet serves it).
    public let expiresAt: Int64

    /// Where the session is saved between launches, if anywhere.
    let file: String?
    let watcher: SessionWatcher
    /// The relay room a paired session talks through; `nil` for a session of the local wallet.
    let pairedLink: PairedLink?

    /// What the session may use, by provider id (kept up to date once a handler or
    /// ``updates()`` follows the wallet's events).
    public var providers: [String: ProviderAvailability] { watcher.providers }

    /// The web origin the session is bound to, sent with every request; `nil` for programs.
    public let appOrigin: String?

    init(response: ConnectResponse, bridgeURL: String, file: String? = nil, appOrigin: String? = nil) {
        self.file = file
        self.appOrigin = appOrigin
        sessionKey = response.sessionKey
        proxyURL = response.proxyUrl.isEmpty ? bridgeURL : response.proxyUrl
        watcher = SessionWatcher(providers: response.providers)
        expiresAt = response.expiresAt
        pairedLink = nil
    }

    /// A session served by a wallet elsewhere, through a relay room (see ``Byoky/connect(providers:useRelay:onPairingReady:)``).
    init(pairedLink: PairedLink, providers: [String: ProviderAvailability], appOrigin: String?) {
        self.pairedLink = pairedLink
        self.appOrigin = appOrigin
        file = nil
        sessionKey = "relay_" + pairedLink.payload.roomID
        proxyURL = ""
        expiresAt = 0
        watcher = SessionWatcher(providers: providers)
    }

    /// Whether requests go through a relay to a paired wallet rather than to the local bridge.
    public var isPaired: Bool { pairedLink != nil }

    deinit { watcher.stop() }

    /// Calls `handler` once when the session ends: the owner revoked it, it expired, or the
    /// app disconnected. The SDK follows the wallet's event stream for it and reconnects to the
    /// stream when the wallet restarts (the session itself survives a restart).
    public func onDisconnect(_ handler: @escaping @Sendable () -> Void) {
        watcher.onDisconnect(handler, session: self)
    }

    /// Calls `handler` with the new provider list whenever the owner changes what the session may use.
    public func onProvidersUpdated(_ handler: @escaping @Sendable ([String: ProviderAvailability]) -> Void) {
        watcher.onProvidersUpdated(handler, session: self)
    }

    /// The session's events as a sequence that survives wallet restarts: provider updates, then
    /// `session.revoked` at the end.
    public func updates() -> AsyncStream<WalletEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WalletEvent.self)
        onProvidersUpdated { providers in continuation.yield(WalletEvent(type: .providersUpdated, providers: providers))
        }
        onDisconnect {
            continuation.yield(WalletEvent(type: .sessionRevoked))
            continuation.finish()
        }
        return stream
    }

    /// The base URL a provider SDK should use for `provider` (OpenAI-style clients: the `/v1` form).
    public func baseURL(for provider: ProviderID) -> String {
        "\(proxyURL)/\(provider.rawValue)"
    }

    /// A fetch function that sends requests written for `provider`'s real URL through the wallet.
    public func createFetch(_ provider: ProviderID) -> ByokyFetch {
        ByokyFetch(
            provider: provider,
            bridgeURL: proxyURL,
            sessionKey: sessionKey,
            origin: appOrigin,
            relay: pairedLink?.connection
        )
    }

    /// Requests and tokens used by this session so far.
    public func usage() async throws -> SessionUsage {
        if let pairedLink {
            // The paired wallet reports the session's usage after each request.
            return pairedLink.usage ?? SessionUsage(requests: 0, inputTokens: 0, outputTokens: 0, byProvider: [:])
        }
        return try await WalletClient.send(
            .GET,
            proxyURL + "/v1/session/usage",
            headers: authHeaders,
            as: SessionUsage.self
        )
    }

    /// Whether the wallet still honours this session.
    public func isConnected() async -> Bool {
        if let pairedLink { return pairedLink.isConnected }
        return await status()?.connected == true
    }

    /// The wallet's view of this session (honoured, providers); `nil` when it does not answer.
    func status() async -> SessionStatus? {
        try? await WalletClient.send(.GET, proxyURL + "/v1/session", headers: authHeaders, as: SessionStatus.self)
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
        defer { watcher.markDisconnected() }
        if let pairedLink {
            pairedLink.close()
            return
        }
        _ = try await WalletClient.send(
            .POST,
            proxyURL + "/v1/session/disconnect",
            headers: authHeaders,
            as: SessionStatus.self
        )
    }

    var authHeaders: [(String, String)] {
        [("x-api-key", sessionKey)] + (appOrigin.map { [("origin", $0)] } ?? [])
    }
}
