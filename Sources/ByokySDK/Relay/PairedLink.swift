import ByokyCore
import ByokyRelaySocket
import Foundation
import Synchronization

/// The app's side of relay pairing: a recipient connection to the relay room that the owner's
/// wallet joins after scanning or typing the pairing code.
///
/// In a version 2 pairing the wallet's hello must carry a proof made with the code's pre-shared
/// key, and every request and answer is then sealed end to end. A dropped relay connection is
/// reopened with back-off; while the wallet is unreachable requests fail at once with
/// `RELAY_DISCONNECTED` instead of hanging, and they go through again once it is back.
final class PairedLink: Sendable {
    private struct State {
        var authResult: CheckedContinuation<Void, any Error>?
        var hello: CheckedContinuation<[String: ProviderAvailability], any Error>?
        var isOpen = false
        var peerOnline = false
        var failure: ByokyError?
        var paired = false
        var closed = false
        var usage: SessionUsage?
    }

    let payload: PairingPayload
    let connection: RelayConnection
    private let state = Mutex(State())
    private let runner = Mutex<Task<Void, Never>?>(nil)
    /// The writer of the connection open now (frames sent while none is open are dropped).
    private let writer = CurrentWriter()

    /// - Parameter requestTimeout: How long a request waits on the wallet's silence (by default
    ///   as long as the wallet waits on the provider's, ``ServerLimits/providerSilence``).
    init(payload: PairingPayload, requestTimeout: Duration = ServerLimits.providerSilence) {
        self.payload = payload
        var configuration = ByokyServer.Configuration()
        configuration.requestTimeout = requestTimeout
        configuration.pingInterval = nil
        let writer = self.writer
        connection = RelayConnection(configuration: configuration) { frame in writer.send(frame) }
    }

    /// Whether the relay connection is open and the wallet is in the room.
    var isConnected: Bool { state.withLock { $0.isOpen && $0.peerOnline && !$0.closed } }

    /// The wallet's latest report of this session's usage.
    var usage: SessionUsage? { state.withLock { $0.usage } }

    /// Joins the room, calls `onPairingReady` with the code, waits for the wallet's offer and accepts it.
    func pair(
        timeout: Duration,
        onPairingReady: @Sendable (String) -> Void
    ) async throws -> [String: ProviderAvailability] {
        let timer = Task {
            try await Task.sleep(for: timeout)
            self.fail(ByokyError(.timeout, "Pairing timed out: no wallet joined with the pairing code"))
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            state.withLock { $0.authResult = continuation }
            start()
        }
        onPairingReady(payload.encoded())
        let providers = try await withCheckedThrowingContinuation { continuation in
            let failure: ByokyError? = state.withLock { state in
                if let failure = state.failure { return failure }
                state.hello = continuation
                return nil
            }
            if let failure { continuation.resume(throwing: failure) }
        }
        state.withLock { $0.paired = true }
        connection.send(.pairAck)
        return providers
    }

    /// Keeps a connection to the room open until ``close()``: reconnects with back-off after a drop.
    private func start() {
        let task = Task {
            var delay = Duration.milliseconds(250)
            while !Task.isCancelled, !state.withLock({ $0.closed }) {
                let opened = await runOnce()
                let paired = state.withLock { $0.paired }
                guard paired else {
                    fail(ByokyError.relayConnectionFailed("the relay connection closed"))
                    return
                }
                connection.suspend(ByokyError(.relayDisconnected, "The relay connection dropped; reconnecting"))
                if opened { delay = .milliseconds(250) }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(10))
            }
        }
        runner.withLock { $0 = task }
    }

    /// One connection to the relay; returns whether it opened.
    private func runOnce() async -> Bool {
        let writer = RelayFrameWriter()
        do {
            try await RelayRoomSocket.run(
                url: payload.relayURL,
                room: payload.roomID,
                writer: writer,
                ping: { .ping(ts: (Date().timeIntervalSince1970 * 1000).rounded()) },
                opened: {
                    self.state.withLock { $0.isOpen = true }
                    self.writer.replace(with: writer)
                    writer.send(
                        .auth(
                            roomID: self.payload.roomID,
                            authToken: self.payload.authToken,
                            role: .recipient,
                            priority: nil
                        )
                    )
                },
                receive: { text in
                    self.receive(text)
                    return true
                }
            )
        } catch {
            state.withLock { $0.isOpen = false }
            return false
        }
        state.withLock {
            $0.isOpen = false
            $0.peerOnline = false
        }
        self.writer.replace(with: nil)
        return true
    }

    private func receive(_ text: String) {
        guard let frame = try? RelayMessage.parse(text, maximumSize: RelayMessage.relayMaximumFrameSize) else {
            connection.receive(text)
            return
        }
        switch frame {
        case .authResult(let success, let error, let peerOnline):
            let waiter = state.withLock { state in
                state.peerOnline = peerOnline ?? false
                defer { state.authResult = nil }
                return state.authResult
            }
            if success {
                waiter?.resume()
            } else {
                waiter?.resume(
                    throwing: ByokyError.relayConnectionFailed(error ?? "the relay refused the pairing room")
                )
            }
        case .pairHello(let providers, let publicKey, let proof):
            if let presharedKey = payload.presharedKeyBytes {
                // Version 2: only the wallet that read the code can prove it.
                guard let publicKey, let proof,
                    RelaySealing.verifyPairingProof(proof, publicKey: publicKey, presharedKey: presharedKey)
                else { return }
                connection.useSealing(
                    SealedRequestChannel(
                        publicKey: publicKey,
                        roomID: payload.roomID,
                        presharedKey: presharedKey,
                        aead: payload.aead ?? .chaCha20Poly1305
                    )
                )
            }
            let offered = providers.filter { $0.value.authMethod == .apiKey || $0.value.authMethod == .oauth }
            let (waiter, paired) = state.withLock { state in
                state.peerOnline = true
                defer { state.hello = nil }
                return (state.hello, state.paired)
            }
            waiter?.resume(returning: offered)
            if paired {
                // The wallet came back (after a drop on either side).
                connection.send(.pairAck)
                connection.resume()
            }
        case .peerStatus(let online):
            state.withLock { $0.peerOnline = online }
            if !online { connection.suspend(ByokyError(.relayDisconnected, "The wallet went offline")) }
        case .sessionUsage(let usage):
            state.withLock { $0.usage = usage }
        default:
            connection.receive(text)
        }
    }

    private func fail(_ error: ByokyError) {
        let (auth, hello) = state.withLock { state in
            if state.failure == nil { state.failure = error }
            defer {
                state.authResult = nil
                state.hello = nil
            }
            return (state.authResult, state.hello)
        }
        auth?.resume(throwing: error)
        hello?.resume(throwing: error)
    }

    func close() {
        state.withLock { $0.closed = true }
        runner.withLock { $0?.cancel() }
        writer.replace(with: nil)?.finish()
        connection.close(reason: "The app disconnected")
    }
}

/// The frame writer of whichever relay connection is open now.
private final class CurrentWriter: Sendable {
    private let writer = Mutex<RelayFrameWriter?>(nil)

    func send(_ frame: RelayMessage) { writer.withLock { $0 }?.send(frame) }

    /// Installs `next`; returns the one it replaces.
    @discardableResult
    func replace(with next: RelayFrameWriter?) -> RelayFrameWriter? {
        writer.withLock { current in
            defer { current = next }
            return current
        }
    }
}
