import Synchronization

/// The requester's side of relayed requests on one connection: sends each request, matches the
/// answer frames to it by request id, and makes sure every request ends — with its answer, the
/// other side's error, a timeout, a cancellation, or `RELAY_DISCONNECTED` when the connection
/// goes away.
///
/// Used by the backend relay (``ByokyServer``'s side) and by a wallet spending a gift.
public final class RelayRequestBook: Sendable {
    /// A response head.
    public struct Head: Sendable {
        public let status: Int
        public let headers: [(String, String)]
    }

    /// An answer: its head and a body that ends when the answer does (or fails with its error).
    public struct Answer: Sendable {
        public let head: Head
        public let body: AsyncThrowingStream<[UInt8], any Error>
    }

    private struct Pending {
        var head: CheckedContinuation<Head, any Error>?
        let body: AsyncThrowingStream<[UInt8], any Error>.Continuation
        var lastActivity: ContinuousClock.Instant
        /// The task that fails the request when the other side stays silent: cancelled when the
        /// request ends, so no finished request leaves a task asleep for the request timeout.
        var watcher: Task<Void, Never>?

        /// Fails the request's head (if still awaited) and body with `error`, and stops its watcher.
        func end(throwing error: any Error) {
            watcher?.cancel()
            head?.resume(throwing: error)
            body.finish(throwing: error)
        }
    }

    private struct State {
        var pending: [String: Pending] = [:]
        var closeError: ByokyError?
        /// Why new requests fail at once for now (the other side is unreachable), if they do.
        var suspension: ByokyError?
        var nextID = 0
    }

    private let state = Mutex(State())
    /// Watcher tasks alive (asleep or about to end).
    private let watchers = Atomic(0)
    private let send: @Sendable (RelayMessage) -> Void
    private let requestTimeout: Duration
    private let silenceError: @Sendable () -> ByokyError

    /// - Parameters:
    ///   - requestTimeout: how long a request may wait for its next frame.
    ///   - silenceError: the error for a request whose other side stayed silent that long.
    ///   - send: writes a frame to the connection.
    public init(
        requestTimeout: Duration,
        silenceError: @escaping @Sendable () -> ByokyError = {
            ByokyError(.timeout, "The other side did not answer the relayed request in time")
        },
        send: @escaping @Sendable (RelayMessage) -> Void
    ) {
        self.requestTimeout = requestTimeout
        self.silenceError = silenceError
        self.send = send
    }

    /// Whether ``close(_:)`` has run.
    public var isClosed: Bool { state.withLock { $0.closeError != nil } }

    /// How many requests are waiting for (the rest of) an answer.
    public var pendingCount: Int { state.withLock { $0.pending.count } }

    /// How many silence watchers are alive: one per pending request, for a moment longer after
    /// the request ends.
    var watcherCount: Int { watchers.load(ordering: .relaxed) }

    /// A fresh request id.
    public func makeRequestID() -> String {
        state.withLock { state in
            state.nextID += 1
            return "relay-\(state.nextID)-\(SecureRandom.hexToken(byteCount: 4))"
        }
    }

    /// Sends `frame` (the request, maybe sealed) for `requestID` and waits for the answer's head.
    /// Cancelling the task, or abandoning the body, cancels the request on the other side too.
    ///
    /// - Throws: ``ByokyError`` `RELAY_DISCONNECTED`, the silence error, or the other side's error
    ///   (code kept).
    public func perform(_ frame: RelayMessage, requestID: String) async throws -> Answer {
        let (body, bodyContinuation) = AsyncThrowingStream.makeStream(of: [UInt8].self, throwing: (any Error).self)
        bodyContinuation.onTermination = { termination in
            if case .cancelled = termination { self.cancel(requestID) }
        }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                start(frame, requestID: requestID, head: continuation, body: bodyContinuation)
            }
        } onCancel: {
            self.cancel(requestID)
        }
        return Answer(head: head, body: body)
    }

    private func start(
        _ frame: RelayMessage,
        requestID: String,
        head: CheckedContinuation<Head, any Error>,
        body: AsyncThrowingStream<[UInt8], any Error>.Continuation
    ) {
        // Checked and registered under one lock: a request that starts while ``suspend(_:)`` runs
        // is either refused here or failed by it, never left waiting for a frame not sent.
        let closed: ByokyError? = state.withLock { state in
            if let error = state.closeError ?? state.suspension { return error }
            state.pending[requestID] = Pending(head: head, body: body, lastActivity: .now)
            return nil
        }
        if let closed {
            head.resume(throwing: closed)
            body.finish(throwing: closed)
            return
        }
        send(frame)
        let watcher = Task { await self.watch(requestID) }
        // The answer may have come and gone already: then the watcher has nothing to watch.
        let isPending = state.withLock { state in
            guard state.pending[requestID] != nil else { return false }
            state.pending[requestID]?.watcher = watcher
            return true
        }
        if !isPending { watcher.cancel() }
    }

    /// Takes an answer frame; returns `false` for frames that are not answers.
    @discardableResult
    public func deliver(_ frame: RelayMessage) -> Bool {
        switch frame {
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
            finish(requestID, with: nil)
        case .responseError(let requestID, let error):
            fail(
                requestID,
                error.map { ByokyError(ByokyError.Code(rawValue: $0.code), $0.message) }
                    ?? ByokyError(.proxyError, "The other side could not serve the request")
            )
        default:
            return false
        }
        return true
    }

    /// Ends one request with `error` (e.g. for a malformed answer frame).
    public func fail(_ requestID: String, _ error: ByokyError) {
        finish(requestID, with: error)
    }

    /// Forgets a request the caller gave up on and tells the other side to stop it.
    public func cancel(_ requestID: String) {
        guard let pending = state.withLock({ $0.pending.removeValue(forKey: requestID) }) else { return }
        pending.end(throwing: CancellationError())
        send(.requestCancel(requestID: requestID))
    }

    /// Fails every pending request with `error`, and every later one until ``resume()`` (the other
    /// side is unreachable for now).
    public func suspend(_ error: ByokyError) {
        let pending = state.withLock { state in
            state.suspension = error
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for request in pending { request.end(throwing: error) }
    }

    /// Lets requests through again after ``suspend(_:)``.
    public func resume() {
        state.withLock { $0.suspension = nil }
    }

    /// Fails every pending request with `error`, and every later one.
    public func close(_ error: ByokyError) {
        let pending = state.withLock { state in
            if state.closeError == nil { state.closeError = error }
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        for request in pending { request.end(throwing: error) }
    }

    private func body(of requestID: String) -> AsyncThrowingStream<[UInt8], any Error>.Continuation? {
        state.withLock { state in
            state.pending[requestID]?.lastActivity = .now
            return state.pending[requestID]?.body
        }
    }

    /// Ends a request: before its head the caller gets the error; after it, the body ends with it.
    private func finish(_ requestID: String, with error: ByokyError?) {
        guard let pending = state.withLock({ $0.pending.removeValue(forKey: requestID) }) else { return }
        if let error {
            pending.end(throwing: error)
        } else {
            pending.watcher?.cancel()
            pending.head?.resume(throwing: ByokyError.relayDisconnected())
            pending.body.finish()
        }
    }

    /// Fails the request when the other side stays silent for longer than the request timeout.
    private func watch(_ requestID: String) async {
        watchers.add(1, ordering: .relaxed)
        defer { watchers.subtract(1, ordering: .relaxed) }
        while true {
            guard let last = state.withLock({ $0.pending[requestID]?.lastActivity }) else { return }
            let deadline = last + requestTimeout
            if ContinuousClock.now >= deadline {
                finish(requestID, with: silenceError())
                send(.requestCancel(requestID: requestID))
                return
            }
            do { try await Task.sleep(until: deadline, clock: .continuous) } catch { return }
        }
    }
}
