public import ByokyCore
import ByokyStore
public import ByokyWallet
import Logging
import NIOCore
import Synchronization
import WSClient
import WSCore

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
        var logger = Logger(label: "byoky.pairing-host")
        logger.logLevel = .critical
        let failure = Mutex<ByokyError?>(nil)
        _ = try await WebSocketClient.connect(
            url: payload.relayURL,
            configuration: .init(maxFrameSize: RelayMessage.relayMaximumFrameSize),
            logger: logger
        ) { inbound, outbound, _ in
            let (frames, sender) = AsyncStream.makeStream(of: RelayMessage.self)
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frame in frames {
                        do { try await outbound.write(.text(String(decoding: frame.encoded(), as: UTF8.self))) } catch {
                            break
                        }
                    }
                }
                group.addTask {
                    // Keep the room alive.
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(30))
                        sender.yield(.ping(ts: 0))
                    }
                }
                sender.yield(.auth(roomID: payload.roomID, authToken: payload.authToken, role: .sender, priority: 1))
                let requests = InFlightRequests()
                do {
                    for try await message in inbound.messages(maxSize: RelayMessage.relayMaximumFrameSize) {
                        guard case .text(let text) = message,
                            let frame = try? RelayMessage.parse(text, maximumSize: RelayMessage.relayMaximumFrameSize)
                        else { continue }
                        switch frame {
                        case .authResult(let success, let error, _):
                            guard success else {
                                failure.withLock {
                                    $0 = ByokyError.relayConnectionFailed(error ?? "the relay refused the room")
                                }
                                break
                            }
                            onEvent(.joined)
                            sender.yield(.pairHello(providers: offered))
                        case .pairAck:
                            onEvent(.paired)
                        case .request(let request):
                            let host = self
                            let task = Task {
                                await host.serve(
                                    request,
                                    sessionKey: sessionKey,
                                    send: { sender.yield($0) },
                                    onEvent: onEvent
                                )
                                requests.remove(request.requestID)
                            }
                            requests.add(task, for: request.requestID)
                        case .requestCancel(let requestID):
                            requests.remove(requestID)?.cancel()
                        default:
                            continue
                        }
                        if failure.withLock({ $0 != nil }) { break }
                    }
                } catch {}
                requests.cancelAll()
                sender.finish()
                group.cancelAll()
            }
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
            guard let pathAndQuery = Self.pathAndQuery(of: request.url, provider: request.provider) else {
                throw ByokyError(.invalidURL, "The request URL is not \(request.provider.rawValue)'s address")
            }
            guard let body = request.body == nil ? [] : request.bodyBytes else {
                throw ByokyError(.invalidRequest, "The request body is not valid base64")
            }
            let headers = request.headers.filter { !["origin", "host"].contains($0.key.lowercased()) }.map {
                (name: $0.key, value: $0.value)
            }
            let response = await engine.handle(
                ProxyRequest(
                    provider: request.provider,
                    method: request.method,
                    pathAndQuery: pathAndQuery,
                    headers: headers,
                    body: ByteBuffer(bytes: body)
                ),
                sessionKey: sessionKey
            )
            var fields: [String: String] = [:]
            for header in response.headers { fields[header.name.lowercased()] = header.value }
            send(.responseMeta(requestID: request.requestID, status: response.status, statusText: nil, headers: fields))
            var framer = RelayBodyFramer(requestID: request.requestID)
            do {
                for try await chunk in response.body {
                    try Task.checkCancellation()
                    if let frame = framer.frame(for: chunk.readableBytesView) { send(frame) }
                }
            } catch {
                await response.body.abandon()
                throw error
            }
            for frame in framer.finish() { send(frame) }
            onEvent(.served(provider: request.provider.rawValue, status: response.status))
        } catch {
            let failure = (error as? ByokyError) ?? ByokyError(.proxyError, "The wallet could not serve the request")
            send(
                .responseError(
                    requestID: request.requestID,
                    error: WireError(code: failure.code.rawValue, message: failure.message)
                )
            )
        }
    }

    /// The provider-native path for a request written for the provider's real URL.
    static func pathAndQuery(of url: String, provider: ProviderID) -> String? {
        guard let entry = ProviderRegistry.provider(provider), !entry.requiresCustomBaseURL,
            let target = try? ProviderURLPolicy.validate(url, provider: provider),
            let base = AbsoluteURL(entry.baseURL)
        else { return nil }
        let basePath = base.path == "/" ? "" : base.path
        return String(target.pathAndQuery.dropFirst(basePath.count))
    }
}

/// The relayed requests being served, by request id.
final class InFlightRequests: Sendable {
    private let tasks = Mutex<[String: Task<Void, Never>]>([:])

    func add(_ task: Task<Void, Never>, for id: String) { tasks.withLock { $0[id] = task } }

    @discardableResult
    func remove(_ id: String) -> Task<Void, Never>? { tasks.withLock { $0.removeValue(forKey: id) } }

    func cancelAll() {
        for task in tasks.withLock({ Array($0.values) }) { task.cancel() }
    }
}
