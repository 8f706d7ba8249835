import AsyncHTTPClient
public import ByokyCore
import Foundation
import NIOCore
import NIOHTTP1

/// The entry point for apps: asks the owner's byoky wallet for a session.
///
/// ```swift
/// let byoky = Byoky(options: .init(appName: "Notes"))
/// let session = try await byoky.connect(providers: [ProviderRequirement(id: .anthropic, required: true)])
/// let fetch = session.createFetch(.anthropic)
/// let response = try await fetch(ByokyFetch.Request(url: "https://api.anthropic.com/v1/messages", body: …))
/// ```
public struct Byoky: Sendable {
    /// How the SDK finds and talks to the wallet.
    public struct Options: Sendable {
        /// The name the owner sees when approving (shown as unverified).
        public var appName: String
        /// The wallet's bridge; `byoky serve` listens on this address by default.
        public var bridgeURL: String
        /// How long `connect` waits for the owner's answer.
        public var connectTimeout: Duration
        /// Where to keep the session between launches (mode 0600), for ``Byoky/tryReconnect()``;
        /// `nil` keeps nothing.
        public var sessionFile: String?
        /// The relay for ``Byoky/connect(providers:useRelay:onPairingReady:)`` (`wss://`, or `ws://` to loopback).
        public var relayURL: String
        /// The web origin of a browser-hosted app; the session is bound to it (and the owner sees a
        /// verified origin instead of a self-declared name). `nil` for programs.
        public var appOrigin: String?
        /// The cipher a pairing code asks for; the default suits every wallet of this project.
        public var pairingCipher: RelaySealing.AEAD = .chaCha20Poly1305

        public init(
            appName: String,
            bridgeURL: String = "http://127.0.0.1:19280",
            connectTimeout: Duration = .seconds(120),
            sessionFile: String? = nil,
            relayURL: String = "wss://relay.byoky.com",
            appOrigin: String? = nil
        ) {
            self.appName = appName
            self.relayURL = relayURL
            self.appOrigin = appOrigin
            self.sessionFile = sessionFile
            self.bridgeURL = bridgeURL.hasSuffix("/") ? String(bridgeURL.dropLast()) : bridgeURL
            self.connectTimeout = connectTimeout
        }
    }

    public let options: Options

    public init(options: Options) {
        self.options = options
    }

    /// Asks the wallet for the providers, waits for the owner to approve, and returns the session.
    ///
    /// - Throws: ``ByokyError`` — `WALLET_NOT_INSTALLED` (no wallet answers; the message says what to
    ///   run), `USER_REJECTED`, `PROVIDER_UNAVAILABLE`, `TIMEOUT`, or the wallet's own error.
    public func connect(providers: [ProviderRequirement]) async throws -> ByokySession {
        let request = ConnectRequest(
            app: AppIdentity(name: options.appName, origin: options.appOrigin),
            providers: providers
        )
        let ticket = try await WalletClient.send(
            .POST,
            options.bridgeURL + "/v1/connect",
            body: WalletAPI.encode(request),
            headers: options.appOrigin.map { [("origin", $0)] } ?? [],
            as: ConnectTicket.self
        )
        let deadline = ContinuousClock.now + options.connectTimeout
        while ContinuousClock.now < deadline {
            let remaining = deadline - ContinuousClock.now
            let wait = max(1, min(25, Int(remaining.components.seconds)))
            let status = try await WalletClient.send(
                .GET,
                options.bridgeURL + "/v1/connect/\(ticket.requestId)?wait=\(wait)",
                as: ConnectStatus.self
            )
            switch status.status {
            case .pending:
                continue
            case .approved:
                guard let granted = status.session else {
                    throw ByokyError(.invalidResponse, "The wallet approved but sent no session")
                }
                let session = ByokySession(
                    response: granted,
                    bridgeURL: options.bridgeURL,
                    file: options.sessionFile,
                    appOrigin: options.appOrigin
                )
                session.save()
                return session
            case .denied, .expired:
                throw status.error?.byokyError ?? ByokyError.userRejected()
            }
        }
        throw ByokyError(.timeout, "The wallet owner did not answer in time")
    }

    /// The session saved by an earlier ``connect(providers:)`` or
    /// ``connectViaVault(vaultURL:username:password:providers:appOrigin:)`` if the wallet (or the
    /// vault) that made it still honours it, else `nil` (and the saved copy is deleted). A saved
    /// vault session is checked at its vault, never at the local bridge.
    public func tryReconnect() async -> ByokySession? {
        guard let path = options.sessionFile, let data = FileManager.default.contents(atPath: path),
            let saved = try? JSONDecoder().decode(ConnectResponse.self, from: data)
        else { return nil }
        let session = ByokySession(
            response: saved,
            bridgeURL: options.bridgeURL,
            file: path,
            appOrigin: options.appOrigin
        )
        guard await session.isConnected() else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        return session
    }

    /// Connects through a byoky relay instead of a local wallet: the app shows the pairing code
    /// passed to `onPairingReady` (as text or a QR code), the owner runs `byoky pair <code>` on
    /// their machine and approves, and requests then flow app → relay → wallet → provider.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` for a relay that is neither `wss:` nor loopback `ws:`,
    ///   `RELAY_CONNECTION_FAILED`, `TIMEOUT` (no wallet joined within ``Options/connectTimeout``),
    ///   or `PROVIDER_UNAVAILABLE` when the wallet does not offer a required provider.
    public func connect(
        providers: [ProviderRequirement],
        useRelay: Bool,
        onPairingReady: @Sendable (String) -> Void = { _ in }
    ) async throws -> ByokySession {
        guard useRelay else { return try await connect(providers: providers) }
        guard ProviderURLPolicy.isAllowedRelayURL(options.relayURL) else {
            throw ByokyError(.invalidURL, "The relay URL must use wss://, or ws:// to localhost")
        }
        let payload = PairingPayload.generate(
            relayURL: options.relayURL,
            appOrigin: options.appOrigin ?? options.appName,
            aead: options.pairingCipher
        )
        let link = PairedLink(payload: payload)
        let offered: [String: ProviderAvailability]
        do {
            offered = try await link.pair(timeout: options.connectTimeout, onPairingReady: onPairingReady)
        } catch {
            link.close()
            throw error
        }
        for requirement in providers where requirement.required && offered[requirement.id.rawValue]?.available != true {
            link.close()
            throw ByokyError.providerUnavailable(requirement.id)
        }
        return ByokySession(pairedLink: link, providers: offered, appOrigin: options.appOrigin)
    }

    /// Whether a wallet answers at ``Options/bridgeURL``.
    public func isWalletRunning() async -> Bool {
        (try? await WalletClient.send(.GET, options.bridgeURL + "/v1/health", as: WalletHealth.self)) != nil
    }

    /// What to tell a user who has no wallet running.
    public static func installHint() -> String {
        "Install byoky and run `byoky serve` (see https://byoky.com); then try again."
    }

    /// Connects through a byoky vault (for apps where no wallet runs): logs in as `username`,
    /// asks the account for `providers`, and logs out again — the app keeps only the app session,
    /// whose requests go to `<vaultURL>/proxy/<provider>/…` with the owner's synced keys, routing
    /// and limits. With an `appOrigin` (or ``Options/appOrigin``) the session is bound to that web
    /// origin, as a browser's would be. The session is saved to ``Options/sessionFile`` like any
    /// other, so ``tryReconnect()`` finds it again.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` (a vault URL that is neither `https` nor loopback
    ///   `http`), `SERVICE_UNAVAILABLE` (no vault answers), `INVALID_CREDENTIALS`, `RATE_LIMITED`,
    ///   `PROVIDER_UNAVAILABLE` (the account has no key for a required provider), or the vault's
    ///   own error.
    public func connectViaVault(
        vaultURL: String,
        username: String,
        password: String,
        providers: [ProviderRequirement],
        appOrigin: String? = nil
    ) async throws -> ByokySession {
        let base = vaultURL.hasSuffix("/") ? String(vaultURL.dropLast()) : vaultURL
        guard let url = AbsoluteURL(base), url.scheme == "https" || (url.scheme == "http" && url.isLoopbackHost) else {
            throw ByokyError(.invalidURL, "The vault URL must use https:// (or http:// to this machine)")
        }
        let origin = appOrigin ?? options.appOrigin
        struct Credentials: Encodable {
            let username: String
            let password: String
        }
        let login = try await Self.vaultCall(base) {
            try await WalletClient.send(
                .POST,
                base + "/auth/login",
                body: WalletAPI.encode(Credentials(username: username, password: password)),
                as: VaultLoginAnswer.self
            )
        }
        let bearer = [("authorization", "Bearer " + login.token)]
        let granted: ConnectResponse
        do {
            granted = try await Self.vaultCall(base) {
                try await WalletClient.send(
                    .POST,
                    base + "/connect",
                    body: WalletAPI.encode(
                        VaultConnectRequest(providers: providers, appOrigin: origin, appName: options.appName)
                    ),
                    headers: bearer + (origin.map { [("origin", $0)] } ?? []),
                    as: ConnectResponse.self
                )
            }
        } catch {
            _ = try? await WalletClient.send(.POST, base + "/auth/logout", headers: bearer, as: VaultLogout.self)
            throw error
        }
        // The login is not needed any more: the app session stands on its own.
        _ = try? await WalletClient.send(.POST, base + "/auth/logout", headers: bearer, as: VaultLogout.self)
        let session = ByokySession(
            response: granted,
            bridgeURL: base + "/proxy",
            file: options.sessionFile,
            appOrigin: origin
        )
        session.save()
        return session
    }

    private struct VaultLogout: Decodable {}

    /// Runs a call to the vault at `base`, saying so when nothing answers there.
    private static func vaultCall<Answer>(_ base: String, _ call: () async throws -> Answer) async throws -> Answer {
        do {
            return try await call()
        } catch let error as ByokyError where error.code == .walletNotInstalled {
            throw ByokyError(.serviceUnavailable, "No byoky vault answers at \(base) — check the address")
        }
    }
}
