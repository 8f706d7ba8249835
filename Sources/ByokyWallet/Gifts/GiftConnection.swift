import ByokyCore
import ByokyStore
import Logging
import Synchronization
import WSClient
import WSCore

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
    private let outgoing: AsyncStream<RelayMessage>.Continuation
    private let frames: AsyncStream<RelayMessage>
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
        let (frames, outgoing) = AsyncStream.makeStream(of: RelayMessage.self)
        self.frames = frames
        self.outgoing = outgoing
        requests = RelayRequestBook(
            requestTimeout: requestTimeout,
            silenceError: { ByokyError(.giftTimeout, "The gift's giver did not answer in time") },
            send: { outgoing.yield($0) }
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
        outgoing.finish()
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
        var logger = Logger(label: "byoky.gift-connection")
        logger.logLevel = .critical
        let frames = self.frames
        do {
            _ = try await WebSocketClient.connect(
                url: gift.relayURL,
                configuration: .init(maxFrameSize: RelayMessage.relayMaximumFrameSize),
                logger: logger
            ) { inbound, outbound, _ in
                await withTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await frame in frames {
                            do {
                                try await outbound.write(.text(String(decoding: frame.encoded(), as: UTF8.self)))
                            } catch {
                                break
                            }
                        }
                    }
                    group.addTask {
                        while !Task.isCancelled {
                            try? await Task.sleep(for: .seconds(30))
                            self.outgoing.yield(.ping(ts: 0))
                        }
                    }
                    self.outgoing.yield(
                        .auth(
                            roomID: self.gift.roomID,
                            authToken: self.token.exposedValue,
                            role: .recipient,
                            priority: nil
                        )
                    )
                    do {
                        for try await message in inbound.messages(maxSize: RelayMessage.relayMaximumFrameSize) {
                            guard case .text(let text) = message else { continue }
                            self.receive(text)
                            if self.isClosed { break }
                        }
                    } catch {}
                    group.cancelAll()
                }
            }
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
