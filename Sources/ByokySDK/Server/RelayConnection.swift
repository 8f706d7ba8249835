import ByokyCore
import Synchronization

/// The state of one backend-relay connection: the hello, and (in a ``RelayRequestBook``) the
/// requests waiting for answers. Every request ends: with its answer, the front end's error, a
/// timeout, or `RELAY_DISCONNECTED`.
final class RelayConnection: Sendable {
    private struct State {
        var client: ByokyRelayClient?
        var helloWaiters: [CheckedContinuation<ByokyRelayClient, any Error>] = []
        var closeReason: String?
        /// Seals requests end to end (a version 2 pairing).
        var sealing: SealedRequestChannel?
    }

    let send: @Sendable (RelayMessage) -> Void
    let configuration: ByokyServer.Configuration
    let requests: RelayRequestBook
    private let state = Mutex(State())

    init(configuration: ByokyServer.Configuration, send: @escaping @Sendable (RelayMessage) -> Void) {
        self.send = send
        self.configuration = configuration
        requests = RelayRequestBook(
            requestTimeout: configuration.requestTimeout,
            silenceError: { ByokyError(.timeout, "The front end did not answer the relayed request in time") },
            send: send
        )
    }

    /// Sends a request (sealed when the connection seals) and waits for its answer.
    ///
    /// - Throws: ``ByokyError`` `RELAY_DISCONNECTED` at once while the connection is suspended or
    ///   closed, or what the request book throws.
    func perform(_ request: RelayRequest) async throws -> RelayRequestBook.Answer {
        let sealing = state.withLock { $0.sealing }
        guard let sealing else { return try await requests.perform(.request(request), requestID: request.requestID) }
        do {
            return try await requests.perform(try sealing.seal(request), requestID: request.requestID)
        } catch {
            sealing.forget(request.requestID)
            throw error
        }
    }

    /// Seals every later request with `channel`. A channel to the key in use now is not taken:
    /// the one in use keeps the openers of the answers in flight (a wallet repeats its offer, with
    /// the same key, when the app comes back).
    func useSealing(_ channel: SealedRequestChannel) {
        state.withLock { state in
            if state.sealing?.publicKey != channel.publicKey { state.sealing = channel }
        }
    }

    /// Fails pending requests and every new one with `error` until ``resume()``.
    func suspend(_ error: ByokyError) {
        requests.suspend(error)
        state.withLock { $0.sealing }?.clear()
    }

    /// Lets requests through again.
    func resume() {
        requests.resume()
    }

    var isClosed: Bool { state.withLock { $0.closeReason != nil } }

    /// Handles one text frame from the front end.
    func receive(_ text: String) {
        guard let frame = try? RelayMessage.parse(text, maximumSize: configuration.maximumFrameSize) else {
            // A frame that names a request but cannot be read fails that request instead of hanging it.
            if let requestID = Self.requestID(in: text) {
                requests.fail(requestID, ByokyError(.invalidFrame, "The front end sent a malformed frame"))
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
        case .ping(let ts):
            send(.pong(ts: ts))
        case .sealedResponse(let requestID, let sequence, let ciphertext):
            do {
                let sealing = state.withLock { $0.sealing }
                if let inner = try sealing?.open(requestID: requestID, sequence: sequence, ciphertext: ciphertext) {
                    requests.deliver(inner)
                }
            } catch {
                requests.fail(requestID, error as? ByokyError ?? ByokyError(.decryptFailed, "A frame did not open"))
            }
        default:
            requests.deliver(frame)
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

    /// Fails every pending request and any hello waiter.
    func close(reason: String) {
        state.withLock { state in
            if state.closeReason == nil { state.closeReason = reason }
        }
        requests.close(ByokyError.relayDisconnected())
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
