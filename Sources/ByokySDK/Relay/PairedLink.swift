import ByokyCore
import Foundation
import Logging
import Synchronization
import WSClient
import WSCore

/// The app's side of relay pairing: a recipient connection to the relay room that the owner's
/// wallet joins after scanning or typing the pairing code. Requests go over it as `relay:request`
/// frames and come back as the wallet's streamed answers.
final class PairedLink: Sendable {
    private struct State {
        var authResult: CheckedContinuation<Void, any Error>?
        var hello: CheckedContinuation<[String: ProviderAvailability], any Error>?
        var isOpen = false
        var peerOnline = false
        var failure: ByokyError?
    }

    let payload: PairingPayload
    let connection: RelayConnection
    private let writer = RelayFrameWriter()
    private let state = Mutex(State())
    private let runner = Mutex<Task<Void, Never>?>(nil)

    init(payload: PairingPayload, requestTimeout: Duration) {
        self.payload = payload
        var configuration = ByokyServer.Configuration()
        configuration.requestTimeout = requestTimeout
        configuration.pingInterval = nil
        connection = RelayConnection(writer: writer, configuration: configuration)
    }

    /// Whether the relay connection is open and the wallet is in the room.
    var isConnected: Bool { state.withLock { $0.isOpen && $0.peerOnline } }

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
        writer.send(.pairAck)
        return providers
    }

    private func start() {
        let task = Task {
            var logger = Logger(label: "byoky.pairing")
            logger.logLevel = .critical
            do {
                _ = try await WebSocketClient.connect(
                    url: payload.relayURL,
                    configuration: .init(maxFrameSize: RelayMessage.relayMaximumFrameSize),
                    logger: logger
                ) { inbound, outbound, _ in
                    self.state.withLock { $0.isOpen = true }
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { await self.writer.run(on: outbound) }
                        self.writer.send(
                            .auth(
                                roomID: self.payload.roomID,
                                authToken: self.payload.authToken,
                                role: .recipient,
                                priority: nil
                            )
                        )
                        do {
                            for try await message in inbound.messages(maxSize: RelayMessage.relayMaximumFrameSize) {
                                guard case .text(let text) = message else { continue }
                                self.receive(text)
                            }
                        } catch {}
                        self.writer.finish()
                        group.cancelAll()
                    }
                }
            } catch {}
            self.state.withLock { $0.isOpen = false }
            self.fail(ByokyError.relayConnectionFailed("the relay connection closed"))
            self.connection.close(reason: "The relay connection closed")
        }
        runner.withLock { $0 = task }
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
        case .pairHello(let providers):
            let offered = providers.filter { $0.value.authMethod == .apiKey || $0.value.authMethod == .oauth }
            let waiter = state.withLock { state in
                state.peerOnline = true
                defer { state.hello = nil }
                return state.hello
            }
            waiter?.resume(returning: offered)
        case .peerStatus(let online):
            state.withLock { $0.peerOnline = online }
            if !online {
                connection.close(reason: "The wallet went offline")
            }
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
        runner.withLock { $0?.cancel() }
        writer.finish()
        connection.close(reason: "The app disconnected")
    }
}
