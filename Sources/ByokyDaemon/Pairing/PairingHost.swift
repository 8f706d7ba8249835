public import ByokyCore
import ByokyRelayHost
import ByokyStore
public import ByokyWallet

/// The wallet's side of relay pairing: joins the app's relay room as the sender, offers the
/// approved providers, and serves the app's requests through the normal proxy engine (routing,
/// allowances, audit log) under a session of its own, until the session is revoked, the relay
/// connection ends, or the task is cancelled.
public struct PairingHost: Sendable {
    /// What happened, for the owner's terminal.
    public enum Event: Sendable {
        case joined
        case paired
        case served(provider: String, status: Int)
        /// The relay connection dropped; reconnecting.
        case reconnecting
        case ended(reason: String)
    }

    public let payload: PairingPayload
    public let wallet: Wallet
    public let engine: ProxyEngine
    /// The providers the owner approved.
    public let providers: [ProviderID]

    public init(payload: PairingPayload, wallet: Wallet, engine: ProxyEngine, providers: [ProviderID]) {
        self.payload = payload
        self.wallet = wallet
        self.engine = engine
        self.providers = providers
    }

    /// The name the paired app gets in the wallet (sessions, log): its claimed origin, marked unverified.
    public var appName: String { "\(payload.appOrigin) (paired, unverified)" }

    /// Serves the pairing until the task is cancelled or the owner revokes its session; a dropped
    /// relay connection is reopened with back-off. `onEvent` hears about progress.
    ///
    /// In a version 2 pairing the wallet sends a fresh public key with a proof made with the code's
    /// pre-shared key, and serves only requests sealed to that key.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` for a relay that is neither `wss:` nor loopback `ws:`,
    ///   `RELAY_CONNECTION_FAILED` when the relay refuses the room on the first connection.
    public func run(onEvent: @escaping @Sendable (Event) -> Void = { _ in }) async throws {
        guard ProviderURLPolicy.isAllowedRelayURL(payload.relayURL) else {
            throw ByokyError(.invalidURL, "The pairing code names a relay that is neither wss:// nor local")
        }
        let grant = try await wallet.createSession(app: AppIdentity(name: appName), providers: providers)
        let sessionKey = grant.key.exposedValue
        let keys = payload.presharedKeyBytes.map { _ in RelaySealing.generateKeyPair() }
        let opener = keys.map {
            SealedRequestServer(
                privateKey: SecretString($0.privateKey),
                roomID: payload.roomID,
                presharedKey: payload.presharedKeyBytes,
                aead: payload.aead ?? .chaCha20Poly1305,
                replays: ReplayGuard()
            )
        }
        let wallet = self.wallet
        var joinedOnce = false
        var delay = Duration.milliseconds(250)
        var endReason = "stopped"
        while !Task.isCancelled {
            guard (try? await wallet.authenticate(sessionKey: sessionKey)) != nil else {
                endReason = "its session was revoked"
                break
            }
            let offered = try await wallet.availability(for: providers, app: appName)
            let hello = RelayMessage.pairHello(
                providers: offered,
                publicKey: keys?.publicKey,
                proof: keys.flatMap { keys in
                    payload.presharedKeyBytes.map {
                        RelaySealing.pairingProof(publicKey: keys.publicKey, presharedKey: $0)
                    }
                }
            )
            let socket = RelaySenderSocket(
                url: payload.relayURL,
                auth: .auth(roomID: payload.roomID, authToken: payload.authToken, role: .sender, priority: 1)
            )
            // Ends the connection when the owner revokes the session.
            let watcher = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(1))
                    guard (try? await wallet.authenticate(sessionKey: sessionKey)) != nil else {
                        socket.close()
                        return
                    }
                }
            }
            let connection = RelayRoomConnection(
                socket: socket,
                opener: opener,
                plainRefusal: opener == nil
                    ? nil : ByokyError(.invalidFrame, "This pairing takes only end-to-end encrypted requests")
            )
            let outcome = try? await connection.run(
                onJoined: { send in
                    onEvent(.joined)
                    send(hello)
                },
                onFrame: { frame, send in
                    switch frame {
                    // The app came back after a drop: offer again so it can check the key.
                    case .peerStatus(true): send(hello)
                    case .pairAck: onEvent(.paired)
                    default: break
                    }
                },
                serve: { request, send, reply in
                    await self.serve(request, sessionKey: sessionKey, send: send, reply: reply, onEvent: onEvent)
                }
            )
            watcher.cancel()
            switch outcome {
            case .refused(let reason)?:
                if !joinedOnce { throw ByokyError.relayConnectionFailed(reason) }
            case .closed(joined: true)?:
                joinedOnce = true
                delay = .milliseconds(250)
            case .closed(joined: false)?, nil:
                break
            }
            if Task.isCancelled { break }
            onEvent(.reconnecting)
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(10))
        }
        try? await wallet.revokeSession(id: grant.record.id)
        onEvent(.ended(reason: endReason))
    }

    /// Runs one relayed request through the proxy engine, streams the answer back with `reply`
    /// (sealed in a version 2 pairing), then reports the session's usage.
    private func serve(
        _ request: RelayRequest,
        sessionKey: String,
        send: @Sendable (RelayMessage) -> Void,
        reply: @Sendable (RelayMessage) -> Void,
        onEvent: @Sendable (Event) -> Void
    ) async {
        do {
            let response = await engine.handle(try RelayResponder.proxyRequest(from: request), sessionKey: sessionKey)
            try await RelayResponder.stream(response, requestID: request.requestID, send: reply)
            onEvent(.served(provider: request.provider.rawValue, status: response.status))
        } catch {
            reply(RelayResponder.errorFrame(requestID: request.requestID, error))
        }
        if let session = try? await wallet.authenticate(sessionKey: sessionKey) {
            await wallet.store.waitForQueuedLogEntries()
            if let usage = try? await wallet.usage(ofSession: session.id) { send(.sessionUsage(usage)) }
        }
    }
}
