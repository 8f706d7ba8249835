/// One WebSocket connected to the relay: an outbound queue of text frames.
final class RelayPeer: Sendable {
    /// A random id, used to tag the requests a recipient sends.
    let id: String
    private let continuation: AsyncStream<String>.Continuation
    let outbound: AsyncStream<String>

    init(id: String) {
        self.id = id
        (outbound, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .unbounded)
    }

    /// Queues a frame for this peer.
    func send(_ frame: String) {
        continuation.yield(frame)
    }

    /// Ends the outbound queue, which closes the socket.
    func close() {
        continuation.finish()
    }
}
