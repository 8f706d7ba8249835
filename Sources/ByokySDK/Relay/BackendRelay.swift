import AsyncHTTPClient
import ByokyCore
import ByokyRelaySocket
import Foundation
import NIOCore
import Synchronization

/// The front end's side of a backend relay: keeps a WebSocket open to the app's own backend and
/// serves the backend's provider requests through this session, so the backend never holds a key.
///
/// Frames are the original's `relay:*` messages (`relay:hello`, `relay:request`,
/// `relay:response:meta|chunk|done|error`, `relay:ping`/`relay:pong`) plus two additions:
/// `relay:request:cancel`, and base64 chunks for bodies that are not UTF-8. The connection comes
/// back with exponential back-off after a drop until ``close()``.
public final class BackendRelay: Sendable {
    /// Where the connection is.
    public enum Status: String, Sendable {
        case connecting, connected, disconnected, closed
    }

    /// Tuning for the relay connection.
    public struct Configuration: Sendable {
        /// How often to send `relay:ping`.
        public var pingInterval: Duration = .seconds(30)
        /// The first wait before reconnecting; it doubles up to ``maximumBackoff``.
        public var initialBackoff: Duration = .milliseconds(250)
        public var maximumBackoff: Duration = .seconds(30)
        /// The largest frame accepted from the backend.
        public var maximumFrameSize = RelayMessage.relayMaximumFrameSize

        public init() {}
    }

    private struct State {
        var status: Status = .connecting
        var connections = 0
        var closeReason: String?
    }

    /// The id announced in `relay:hello` (random; never the session key).
    public let sessionID: String
    /// The app's own id for this connection, announced so its backend can map it to a user.
    public let correlationID: String?
    private let url: String
    private let session: ByokySession
    private let configuration: Configuration
    private let state = Mutex(State())
    /// The requests being served, by request id (a cancel frame stops one).
    private let inFlight = InFlightRequests()
    private let runner = Mutex<Task<Void, Never>?>(nil)

    init(url: String, session: ByokySession, correlationID: String?, configuration: Configuration) {
        self.url = url
        self.session = session
        self.correlationID = correlationID
        self.configuration = configuration
        self.sessionID = "relay_" + SecureRandom.hexToken(byteCount: 16)
    }

    /// Where the connection is now.
    public var status: Status { state.withLock { $0.status } }

    /// How many times the WebSocket has been opened (1 after the first connection).
    public var connectionCount: Int { state.withLock { $0.connections } }

    /// Requests being served right now.
    public var inFlightCount: Int { inFlight.count }

    func start() {
        let task = Task { await self.runUntilClosed() }
        runner.withLock { $0 = task }
    }

    /// Closes the relay for good: in-flight requests are cancelled (upstream included).
    public func close() {
        state.withLock { $0.status = .closed }
        runner.withLock { $0?.cancel() }
    }

    /// Waits until the relay is connected, or throws `RELAY_CONNECTION_FAILED` after `timeout`.
    public func waitUntilConnected(timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if status == .connected { return }
            if status == .closed { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ByokyError.relayConnectionFailed("the backend at the relay URL did not accept the connection")
    }

    private func runUntilClosed() async {
        var backoff = configuration.initialBackoff
        while !Task.isCancelled, status != .closed {
            state.withLock { $0.status = .connecting }
            let opened = Mutex(false)
            var options = RelayRoomSocket.Options()
            options.maximumFrameSize = configuration.maximumFrameSize
            options.keepAliveInterval = configuration.pingInterval
            options.webSocketPings = false
            let writer = RelayFrameWriter()
            let maximumFrameSize = configuration.maximumFrameSize
            _ = try? await RelayRoomSocket.run(
                url: url,
                room: nil,
                writer: writer,
                options: options,
                ping: { .ping(ts: Self.nowMilliseconds()) },
                opened: {
                    opened.withLock { $0 = true }
                    self.state.withLock { state in
                        state.status = .connected
                        state.connections += 1
                    }
                    writer.send(
                        .hello(
                            sessionID: self.sessionID,
                            providers: self.session.providers,
                            correlationID: self.correlationID
                        )
                    )
                },
                receive: { text in
                    if let frame = try? RelayMessage.parse(text, maximumSize: maximumFrameSize) {
                        self.handle(frame, writer: writer)
                    }
                    return true
                }
            )
            state.withLock { state in
                if state.status != .closed { state.status = .disconnected }
            }
            inFlight.cancelAll()
            if opened.withLock({ $0 }) { backoff = configuration.initialBackoff }
            guard !Task.isCancelled, status != .closed else { break }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, configuration.maximumBackoff)
        }
    }

    private func handle(_ frame: RelayMessage, writer: RelayFrameWriter) {
        switch frame {
        case .request(let request):
            inFlight.start(request.requestID) { await self.serve(request, writer: writer) }
        case .requestCancel(let requestID):
            inFlight.remove(requestID)?.cancel()
        case .ping(let ts):
            writer.send(.pong(ts: ts))
        default:
            break
        }
    }

    /// Runs one request through the session and streams the answer back.
    private func serve(_ request: RelayRequest, writer: RelayFrameWriter) async {
        do {
            guard session.providers[request.provider.rawValue]?.available == true else {
                throw ByokyError.providerUnavailable(request.provider)
            }
            guard let body = request.body == nil ? [] : request.bodyBytes else {
                throw ByokyError(.invalidRequest, "The request body is not valid base64")
            }
            let fetch = session.createFetch(request.provider)
            let response = try await fetch(
                ByokyFetch.Request(
                    url: request.url,
                    method: request.method,
                    headers: request.headers.map { ($0.key, $0.value) },
                    body: request.body == nil ? nil : body
                )
            )
            var headers: [String: String] = [:]
            for (name, value) in response.headers { headers[name.lowercased()] = value }
            writer.send(
                .responseMeta(requestID: request.requestID, status: response.status, statusText: nil, headers: headers)
            )
            var framer = RelayBodyFramer(requestID: request.requestID)
            for try await chunk in response.body {
                try Task.checkCancellation()
                if let frame = framer.frame(for: chunk.readableBytesView) { writer.send(frame) }
            }
            for frame in framer.finish() { writer.send(frame) }
        } catch {
            let failure =
                (error as? ByokyError)
                ?? (Task.isCancelled
                    ? ByokyError(.proxyError, "The request was cancelled")
                    : ByokyError(.proxyError, "The wallet could not serve the request"))
            writer.send(
                .responseError(
                    requestID: request.requestID,
                    error: WireError(code: failure.code.rawValue, message: failure.message)
                )
            )
        }
    }

    /// Unix time in milliseconds, for `relay:ping`.
    static func nowMilliseconds() -> Double {
        (Date().timeIntervalSince1970 * 1000).rounded()
    }
}

extension ByokySession {
    /// Opens a backend relay to `url` (`wss://…`, or `ws://` to a loopback host): the app's backend
    /// sends provider requests over it and this session serves them. `correlationID` is announced
    /// to the backend so it can tell which of its users the connection belongs to.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` for a URL that is neither `wss:` nor loopback `ws:`.
    public func createRelay(
        _ url: String,
        correlationID: String? = nil,
        configuration: BackendRelay.Configuration = .init()
    ) throws -> BackendRelay {
        guard ProviderURLPolicy.isAllowedRelayURL(url) else {
            throw ByokyError(.invalidURL, "A relay URL must use wss://, or ws:// to localhost")
        }
        let relay = BackendRelay(url: url, session: self, correlationID: correlationID, configuration: configuration)
        relay.start()
        return relay
    }
}
