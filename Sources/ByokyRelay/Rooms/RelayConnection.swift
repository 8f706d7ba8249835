/// One WebSocket connected to the relay, as the rooms see it: an id, a way to send it a text
/// frame, and a way to close it. Both are safe to call from any thread.
final class RelayPeer: Sendable {
    /// A random id, used to tag the requests a recipient sends.
    let id: String
    private let sendFrame: @Sendable (String) -> Void
    private let closeConnection: @Sendable () -> Void

    init(id: String, send: @escaping @Sendable (String) -> Void, close: @escaping @Sendable () -> Void) {
        self.id = id
        self.sendFrame = send
        self.closeConnection = close
    }

    /// Sends a text frame to this peer.
    func send(_ frame: String) {
        sendFrame(frame)
    }

    /// Closes the connection (a close frame, then the socket).
    func close() {
        closeConnection()
    }
}
