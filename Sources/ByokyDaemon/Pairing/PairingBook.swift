public import ByokyCore
import ByokyWallet
import Synchronization

/// The pairings a running daemon serves, each in a task of its own, so one wallet can serve
/// several remote apps at once (`byoky pair` hands them over when a daemon runs).
public final class PairingBook: Sendable {
    /// One pairing, as `byoky pairings` lists it.
    public struct Item: Sendable, Codable, Hashable {
        public let id: String
        public let app: String
        public let relayURL: String
        public let providers: [String]
        public var state: String
        public let startedAt: Int64
    }

    private struct Entry {
        var item: Item
        var task: Task<Void, Never>?
    }

    let wallet: Wallet
    let engine: ProxyEngine
    private let entries = Mutex<[String: Entry]>([:])

    init(wallet: Wallet, engine: ProxyEngine) {
        self.wallet = wallet
        self.engine = engine
    }

    /// Starts serving a pairing the owner approved; returns its id.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` for a relay that is neither `wss:` nor loopback `ws:`.
    public func start(_ payload: PairingPayload, providers: [ProviderID]) throws -> Item {
        guard ProviderURLPolicy.isAllowedRelayURL(payload.relayURL) else {
            throw ByokyError(.invalidURL, "The pairing code names a relay that is neither wss:// nor local")
        }
        let id = SecureRandom.hexToken(byteCount: 4)
        let host = PairingHost(payload: payload, wallet: wallet, engine: engine, providers: providers)
        let item = Item(
            id: id,
            app: host.appName,
            relayURL: payload.relayURL,
            providers: providers.map(\.rawValue),
            state: "joining",
            startedAt: wallet.now()
        )
        // Registered before the task starts, so its first event always finds the entry.
        entries.withLock { $0[id] = Entry(item: item, task: nil) }
        let task = Task {
            do {
                try await host.run { event in self.update(id, event) }
            } catch {
                self.setState(id, "failed: \((error as? ByokyError)?.message ?? "the relay refused the room")")
            }
            // A pairing that ended leaves the list.
            _ = self.entries.withLock { $0.removeValue(forKey: id) }
        }
        let stillListed = entries.withLock { entries in
            entries[id]?.task = task
            return entries[id] != nil
        }
        if !stillListed { task.cancel() }
        return item
    }

    /// The pairings being served.
    public func list() -> [Item] {
        entries.withLock { $0.values.map(\.item) }.sorted { $0.startedAt < $1.startedAt }
    }

    /// Stops one pairing (its session is revoked); returns whether it existed.
    @discardableResult
    public func stop(_ id: String) -> Bool {
        guard let entry = entries.withLock({ $0.removeValue(forKey: id) }) else { return false }
        entry.task?.cancel()
        return true
    }

    /// Stops every pairing.
    public func stopAll() {
        for entry in entries.withLock({ entries in
            defer { entries.removeAll() }
            return Array(entries.values)
        }) {
            entry.task?.cancel()
        }
    }

    private func update(_ id: String, _ event: PairingHost.Event) {
        switch event {
        case .joined: setState(id, "waiting for the app")
        case .paired, .served: setState(id, "serving")
        case .reconnecting: setState(id, "reconnecting")
        case .ended(let reason): setState(id, "ended: \(reason)")
        }
    }

    private func setState(_ id: String, _ state: String) {
        entries.withLock { $0[id]?.item.state = state }
    }
}
