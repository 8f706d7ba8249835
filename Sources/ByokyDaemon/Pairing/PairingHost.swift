public import ByokyCore
import ByokyStore
public import ByokyWallet
import Synchronization

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

    /// Serves the pairing; `onEvent` hears about progress.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` for a relay that is neither `wss:` nor loopback `ws:`,
    ///   `RELAY_CONNECTION_FAILED` when the relay refuses the room.
    public func run(onEvent: @escaping @Sendable (Event) -> Void = { _ in }) async throws {
        guard ProviderURLPolicy.isAllowedRelayURL(payload.relayURL) else {
            throw ByokyError(.invalidURL, "The pairing code names a relay that is neither wss:// nor local")
        }
        let grant = try await wallet.createSession(app: AppIdentity(name: appName), providers: providers)
        let sessionKey = grant.key.exposedValue
        let offered = try await wallet.availability(for: providers, app: appName)
        let failure = Mutex<ByokyError?>(nil)
        let socket = RelaySenderSocket(
            url: payload.relayURL,
            auth: .auth(roomID: payload.roomID, authToken: payload.authToken, role: .sender, priority: 1)
        )
        let requests = socket.requests
        try await socket.run { frame, send in
            switch frame {
            case .authResult(let success, let error, _):
                guard success else {
                    failure.withLock { $0 = ByokyError.relayConnectionFailed(error ?? "the relay refused the room") }
                    return false
                }
                onEvent(.joined)
                send(.pairHello(providers: offered))
            case .pairAck:
                onEvent(.paired)
            case .request(let request):
                requests.start(request.requestID) {
                    await self.serve(request, sessionKey: sessionKey, send: send, onEvent: onEvent)
                }
            default:
                break
            }
            return true
        }
        if let error = failure.withLock({ $0 }) { throw error }
        onEvent(.ended(reason: "the relay connection closed"))
    }

    /// Runs one relayed request through the proxy engine and streams the answer back.
    private func serve(
        _ request: RelayRequest,
        sessionKey: String,
        send: @Sendable (RelayMessage) -> Void,
        onEvent: @Sendable (Event) -> Void
    ) async {
        do {
            let response = await engine.handle(try RelayResponder.proxyRequest(from: request), sessionKey: sessionKey)
            try await RelayResponder.stream(response, requestID: request.requestID, send: send)
            onEvent(.served(provider: request.provider.rawValue, status: response.status))
        } catch {
            send(RelayResponder.errorFrame(requestID: request.requestID, error))
        }
    }
}
