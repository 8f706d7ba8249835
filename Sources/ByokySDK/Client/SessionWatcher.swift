import ByokyCore
import Synchronization

/// Follows the wallet's event stream for a session, reconnecting when the wallet restarts, and
/// tells registered handlers about provider changes and the end of the session.
final class SessionWatcher: Sendable {
    private struct State {
        var providers: [String: ProviderAvailability]
        var disconnectHandlers: [@Sendable () -> Void] = []
        var providerHandlers: [@Sendable ([String: ProviderAvailability]) -> Void] = []
        var task: Task<Void, Never>?
        var isDisconnected = false
    }

    private let state: Mutex<State>

    init(providers: [String: ProviderAvailability]) {
        state = Mutex(State(providers: providers))
    }

    var providers: [String: ProviderAvailability] { state.withLock { $0.providers } }
    var isDisconnected: Bool { state.withLock { $0.isDisconnected } }

    func onDisconnect(_ handler: @escaping @Sendable () -> Void, session: ByokySession) {
        let alreadyOver = state.withLock { state in
            if !state.isDisconnected { state.disconnectHandlers.append(handler) }
            return state.isDisconnected
        }
        if alreadyOver { handler() } else { start(session) }
    }

    func onProvidersUpdated(
        _ handler: @escaping @Sendable ([String: ProviderAvailability]) -> Void,
        session: ByokySession
    ) {
        state.withLock { $0.providerHandlers.append(handler) }
        start(session)
    }

    private func start(_ session: ByokySession) {
        // A paired session has no wallet event stream to follow (its relay link reports the end).
        guard session.pairedLink == nil else { return }
        state.withLock { state in
            guard state.task == nil, !state.isDisconnected else { return }
            state.task = Task { [weak session] in await self.watch(session) }
        }
    }

    /// Marks the session over (once) and runs the disconnect handlers.
    func markDisconnected() {
        let handlers = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.isDisconnected else { return [] }
            state.isDisconnected = true
            state.task?.cancel()
            defer { state.disconnectHandlers = [] }
            return state.disconnectHandlers
        }
        for handler in handlers { handler() }
    }

    func stop() {
        state.withLock { $0.task?.cancel() }
    }

    /// Records `providers` and tells the handlers, unless nothing changed.
    private func update(_ providers: [String: ProviderAvailability]) {
        let handlers = state.withLock { state -> [@Sendable ([String: ProviderAvailability]) -> Void] in
            guard state.providers != providers else { return [] }
            state.providers = providers
            return state.providerHandlers
        }
        for handler in handlers { handler(providers) }
    }

    private func watch(_ session: ByokySession?) async {
        var backoff: Duration = .milliseconds(200)
        var connectedBefore = false
        while !Task.isCancelled, let session {
            do {
                let events = try await session.events()
                backoff = .milliseconds(200)
                if connectedBefore, let status = await session.status() {
                    // Back after the wallet was away: catch up on what changed meanwhile (the
                    // stream is open already, so nothing after this read is missed either).
                    guard status.connected else {
                        markDisconnected()
                        return
                    }
                    if let providers = status.providers { update(providers) }
                }
                connectedBefore = true
                for try await event in events {
                    switch event.type {
                    case .providersUpdated:
                        guard let providers = event.providers else { continue }
                        update(providers)
                    case .sessionRevoked:
                        markDisconnected()
                        return
                    }
                }
                // The stream ended without a revocation: the wallet went away. Try again.
            } catch let error as ByokyError where error.code == .unauthorized || error.code == .sessionExpired {
                markDisconnected()
                return
            } catch {}
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(2))
        }
    }
}
