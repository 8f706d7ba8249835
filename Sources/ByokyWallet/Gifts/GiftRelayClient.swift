import ByokyCore
import ByokyStore
import Synchronization

/// The receiver's gift connections, one per gift, opened on first use and again after a drop.
final class GiftRelayClient: Sendable {
    private let connections = Mutex<[String: GiftConnection]>([:])
    let requestTimeout: Duration

    init(requestTimeout: Duration = ServerLimits.providerSilence) {
        self.requestTimeout = requestTimeout
    }

    /// The live connection for `gift`, made if needed.
    func connection(
        for gift: ReceivedGiftRecord,
        token: @autoclosure () throws -> SecretString,
        onUsage: @escaping @Sendable (Int) -> Void
    ) rethrows -> GiftConnection {
        if let live = connections.withLock({ $0[gift.id] }), !live.isClosed { return live }
        let fresh = GiftConnection(gift: gift, token: try token(), requestTimeout: requestTimeout, onUsage: onUsage)
        return connections.withLock { connections in
            if let live = connections[gift.id], !live.isClosed { return live }
            connections[gift.id] = fresh
            return fresh
        }
    }

    /// Closes every connection.
    func shutdown() {
        for connection in connections.withLock({ connections in
            defer { connections.removeAll() }
            return Array(connections.values)
        }) {
            connection.close(ByokyError.relayDisconnected())
        }
    }
}
