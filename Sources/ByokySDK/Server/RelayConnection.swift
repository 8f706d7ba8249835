import ByokyCore
import Synchronization

/// The state of one backend-relay connection: the hello, and the requests waiting for answers.
/// Every request ends: with its answer, the front end's error, a timeout, or `RELAY_DISCONNECTED`.
final class RelayConnection: Sendable {
    /// A response head.
    struct Head: Sendable {
        let status: Int
        let headers: [(String, String)]
    }

    private struct Pending {
        var head: CheckedContinuation<Head, any Error>?
        let body: AsyncThrowingStream<[UInt8], any Error>.Continuation
        var lastActivity: ContinuousClock.Instant
    }

    private struct State {
        var client: ByokyRelayClient?
        var helloWaiters: [CheckedContinuation<ByokyRelayClient, any Error>] = []
        var pending: [String: Pending] = [:]
        var closeReason: String?
        var nextID = 0
    }

    let writer: RelayFrameWriter
    let configuration: ByokyServer.Configuration
    private let state = Mutex(State())

    init(writer: RelayFrameWriter, configuration: ByokyServer.Configuration) {
        self.writer = writer
        self.configuration = configuration
    }

    var isClosed: Bool { state.withLock { $0.closeReason != nil } }

    /// Handles one text frame from the front end.
    func receive(_ text: String) {
        guard let frame = try? RelayMessage.parse(text, maximumSize: configuration.maximumFrameSize) else {
            // A frame that names a request but cannot be read fails that request instead of hanging it.
            if let requestID = Self.requestID(in: text) {
                finish(requestID, with: .failure(ByokyError(.invalidFrame, "The front end sent a malformed frame")))
            }
            return
        }
        switch frame {
        case .hello(let sessionID, let providers, let correlationID):
            let client = ByokyRelayClient(
                sessionID: sessionID,
                providers: providers ?? [:],
                correlationID: correlationID,
                connection: self
            )
            let waiters = state.withLock { state -> [CheckedContinuation<ByokyRelayClient, any Error>] in
                guard state.client == nil else { return [] }
                state.client = client
                defer { state.helloWaiters = [] }
                return state.helloWaiters
            }
            for waiter in waiters { waiter.resume(returning: client) }
        case .responseMeta(let requestID, let status, _, let headers):
            let head = state.withLock { state -> CheckedContinuation<Head, any Error>? in
                state.pending[requestID]?.lastActivity = .now
                defer { state.pending[requestID]?.head = nil }
                return state.pending[requestID]?.head
            }
            head?.resume(returning: Head(status: status, headers: (headers ?? [:]).map { ($0.key, $0.value) }))
        case .responseChunk(let requestID, let chunk):
            body(of: requestID)?.yield(Array(chunk.utf8))
        case .responseData(let requestID, let bytes):
            body(of: requestID)?.yield(bytes)
        case .responseDone(let requestID):
            finish(requestID, with: .success(()))
        case .responseError(let requestID, let error):
            let failure =
                error.map { ByokyError(ByokyError.Code(rawValue: $0.code), $0.message) }
                ?? ByokyError(.proxyError, "The front end could not serve the request")
            finish(requestID, with: .failure(failure))
        case .ping(let ts):
            writer.send(.pong(ts: ts))
        default:
            break
        }
    }

    private func body(of requestID: String) -> AsyncThrowingStream<[UInt8], any Error>.Continuation? {
        state.withLock { state in
            state.pending[requestID]?.lastActivity = .now
            return state.pending[requestID]?.body
        }
    }

    /// Ends a request: before its head the caller gets the error; after it, the body ends with it.
    private func finish(_ requestID: String, with result: Result<Void, ByokyError>) {
        guard let pending = state.withLock({ $0.pending.removeValue(forKey: requestID) }) else { return }
        switch result {
        case .success:
            pending.head?.resume(throwing: ByokyError.relayDisconnected())
            pending.body.finish()
        case .failure(let error):
            pending.head?.resume(throwing: error)
            pending.body.finish(throwing: error)
        }
    }

    /// Waits for the hello (bounded by the configured timeout).
    func waitForHello() async throws -> ByokyRelayClient {
        let timeout = Task { [configuration] in
            try await Task.sleep(for: configuration.helloTimeout)
            self.failHello(ByokyError.relayConnectionFailed("timed out waiting for relay:hello"))
        }
        defer { timeout.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let result: Result<ByokyRelayClient, ByokyError>? = state.withLock { state in
                if let client = state.client { return .success(client) }
                if let reason = state.closeReason { return .failure(ByokyError.relayConnectionFailed(reason)) }
                state.helloWaiters.append(continuation)
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }

    private func failHello(_ error: ByokyError) {
        let waiters = state.withLock { state in
            defer { state.helloWaiters = [] }
            return state.helloWaiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    /// A fresh request id.
    func makeRequestID() -> String {
        state.withLock { state in
            state.nextID += 1
            return "relay-\(state.nextID)-\(SecureRandom.hexToken(byteCount: 4))"
        }
    }

    /// Registers a request and sends it; `head` gets the response head (or the failure).
    func start(
        _ request: RelayRequest,
        head: CheckedContinuation<Head, any Error>,
        body: AsyncThrowingStream<[UInt8], any Error>.Continuation
    ) {
        let isOpen = state.withLock { state in
            guard state.closeReason == nil else { return false }
            state.pending[request.requestID] = Pending(head: head, body: body, lastActivity: .now)
            return true
        }
        guard isOpen else {
            head.resume(throwing: ByokyError.relayDisconnected())
            body.finish(throwing: ByokyError.relayDisconnected())
            return
        }
        writer.send(.request(request))
        let requestID = request.requestID
        Task { await self.watch(requestID) }
    }

    /// Fails the request when the front end stays silent for longer than the request timeout.
    private func watch(_ requestID: String) async {
        let timeout = configuration.requestTimeout
        while true {
            guard let last = state.withLock({ $0.pending[requestID]?.lastActivity }) else { return }
            let deadline = last + timeout
            if ContinuousClock.now >= deadline {
                finish(
                    requestID,
                    with: .failure(ByokyError(.timeout, "The front end did not answer the relayed request in time"))
                )
                writer.send(.requestCancel(requestID: requestID))
                return
            }
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
        }
    }

    /// Forgets a request the caller gave up on and tells the front end to stop it.
    func cancel(_ requestID: String) {
        guard let pending = state.withLock({ $0.pending.removeValue(forKey: requestID) }) else { return }
        pending.head?.resume(throwing: CancellationError())
        pending.body.finish(throwing: CancellationError())
        writer.send(.requestCancel(requestID: requestID))
    }

    /// Fails every pending request and any hello waiter.
    func close(reason: String) {
        let pending = state.withLock { state in
            if state.closeReason == nil { state.closeReason = reason }
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for request in pending {
            request.head?.resume(throwing: ByokyError.relayDisconnected())
            request.body.finish(throwing: ByokyError.relayDisconnected())
        }
        failHello(ByokyError.relayConnectionFailed(reason))
    }

    /// The `requestId` of a frame that failed to parse, if it has one.
    private static func requestID(in text: String) -> String? {
        guard text.utf8.count <= 1_048_576, case .object(let object)? = JSONCoding.parse(Array(text.utf8)) else {
            return nil
        }
        return object["requestId"]?.stringValue
    }
}
