import ByokyCore
import ByokyRelaySocket
import ByokyStore
import Synchronization

/// A receiver's connection to one gift's relay room, carrying any number of requests at once.
///
/// Requests to a version 2 gift are sealed end to end to the giver's public key, and so are the
/// answers; the relay sees only request ids and ciphertext. A version 1 gift (made by the
/// original extension) travels in the clear, as that protocol does.
final class GiftConnection: Sendable {
    /// How long to wait for the relay and the giver before calling the giver offline.
    static let readyTimeout: Duration = .seconds(15)

    private struct State {
        var isReady = false
        var readyWaiters: [CheckedContinuation<Void, any Error>] = []
        var closeError: ByokyError?
    }

    let gift: ReceivedGiftRecord
    let requests: RelayRequestBook
    /// Seals requests to a version 2 gift's giver; `nil` for a v1 gift.
    private let sealing: SealedRequestChannel?
    private let token: SecretString
    private let onUsage: @Sendable (Int) -> Void
    /// Frames for the relay; queued ones go out once the socket opens.
    private let writer = RelayFrameWriter()
    private let state = Mutex(State())
    private let runner = Mutex<(started: Bool, task: Task<Void, Never>?)>((false, nil))

    init(
        gift: ReceivedGiftRecord,
        token: SecretString,
        requestTimeout: Duration,
        onUsage: @escaping @Sendable (Int) -> Void
    ) {
        self.gift = gift
        self.token = token
        self.onUsage = onUsage
        sealing = gift.publicKey.map { SealedRequestChannel(publicKey: $0, roomID: gift.roomID) }
        let writer = self.writer
        requests = RelayRequestBook(
            requestTimeout: requestTimeout,
            silenceError: { ByokyError(.giftTimeout, "The gift's giver did not answer in time") },
            send: { writer.send($0) }
        )
    }

    var isClosed: Bool { state.withLock { $0.closeError != nil } }

    /// Connects (once) and waits until the giver is online.
    ///
    /// - Throws: ``ByokyError`` `GIFT_SENDER_OFFLINE` (503) when the giver is not online,
    ///   `GIFT_AUTH_FAILED` when the relay refuses the link's token, `GIFT_RELAY_ERROR` when the
    ///   relay cannot be reached.
    func waitUntilReady() async throws {
        startIfNeeded()
        let timeout = Task {
            try await Task.sleep(for: Self.readyTimeout)
            self.close(ByokyError(.giftSenderOffline, "The gift's giver is offline — their wallet must be running"))
        }
        defer { timeout.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Void, ByokyError>? = state.withLock { state in
                if let error = state.closeError { return .failure(error) }
                if state.isReady { return .success(()) }
                state.readyWaiters.append(continuation)
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// Sends one request (sealed for a v2 gift) and returns the answer.
    func perform(_ request: RelayRequest) async throws -> RelayRequestBook.Answer {
        try await waitUntilReady()
        guard let sealing else {
            return try await requests.perform(.request(request), requestID: request.requestID)
        }
        // The opener lives until the answer's last frame (the body comes after this call returns).
        do {
            return try await requests.perform(try sealing.seal(request), requestID: request.requestID)
        } catch {
            sealing.forget(request.requestID)
            throw error
        }
    }

    /// Closes the connection and fails its requests with `error`.
    func close(_ error: ByokyError) {
        let waiters = state.withLock { state in
            if state.closeError == nil { state.closeError = error }
            defer { state.readyWaiters = [] }
            return state.readyWaiters
        }
        for waiter in waiters { waiter.resume(throwing: state.withLock { $0.closeError } ?? error) }
        requests.close(state.withLock { $0.closeError } ?? error)
        writer.finish()
        sealing?.clear()
        runner.withLock { $0.task?.cancel() }
    }

    private func startIfNeeded() {
        runner.withLock { runner in
            guard !runner.started else { return }
            runner.started = true
            runner.task = Task { await self.run() }
        }
    }

    private func run() async {
        do {
            try await RelayRoomSocket.run(
                url: gift.relayURL,
                room: gift.roomID,
                writer: writer,
                opened: {
                    self.writer.send(
                        .auth(
                            roomID: self.gift.roomID,
                            authToken: self.token.exposedValue,
                            role: .recipient,
                            priority: nil
                        )
                    )
                },
                receive: { text in
                    self.receive(text)
                    return !self.isClosed
                }
            )
            close(ByokyError(.giftSenderOffline, "The relay connection to the gift's giver closed"))
        } catch {
            close(ByokyError(.giftRelayError, "Could not reach the gift's relay"))
        }
    }

    private func receive(_ text: String) {
        guard let frame = try? RelayMessage.parse(text, maximumSize: RelayMessage.relayMaximumFrameSize) else { return }
        switch frame {
        case .authResult(let success, let error, let peerOnline):
            guard success else {
                if error?.contains("not online") == true {
                    close(ByokyError(.giftSenderOffline, "The gift's giver is offline — their wallet must be running"))
                } else {
                    close(ByokyError(.giftAuthFailed, "The relay refused this gift's link (\(error ?? "no reason"))"))
                }
                return
            }
            if peerOnline == true { markReady() }
        case .peerStatus(let online):
            if online {
                markReady()
            } else {
                close(ByokyError(.giftSenderOffline, "The gift's giver went offline"))
            }
        case .usage(_, let usedTokens):
            onUsage(usedTokens)
        case .sealedResponse(let requestID, let sequence, let ciphertext):
            do {
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

    private func markReady() {
        let waiters = state.withLock { state in
            state.isReady = true
            defer { state.readyWaiters = [] }
            return state.readyWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
