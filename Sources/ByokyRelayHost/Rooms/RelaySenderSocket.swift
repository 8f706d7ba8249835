package import ByokyCore
import ByokyRelaySocket
import Synchronization

/// One WebSocket connection to a relay room as its sender (a wallet serving pairings or gifts).
///
/// Sends `auth` first, pings every 30 s to keep the room alive, and hands every parsed frame to
/// `handle` with a way to send frames back. Returns when the socket closes or the task is
/// cancelled; in-flight request tasks registered in ``requests`` are cancelled then.
package final class RelaySenderSocket: Sendable {
    package let url: String
    package let auth: RelayMessage

    /// The request tasks being served, by request id.
    package let requests = InFlightRequests()
    private let connection = Mutex(Connection())

    /// The running connection's task, and whether ``close()`` came (perhaps before ``run(handle:)``).
    private struct Connection {
        var task: Task<Void, any Error>?
        var isClosed = false
    }

    package init(url: String, auth: RelayMessage) {
        self.url = url
        self.auth = auth
    }

    /// The room the `auth` frame joins.
    package var room: String? {
        guard case .auth(let roomID, _, _, _, _) = auth else { return nil }
        return roomID
    }

    /// Ends the connection (``run(handle:)`` returns); one not yet run ends as soon as it starts.
    package func close() {
        connection.withLock { connection in
            connection.isClosed = true
            connection.task?.cancel()
        }
    }

    /// Runs the connection.
    ///
    /// - Parameter handle: called for each frame; return `false` to close the connection.
    /// - Throws: when the relay cannot be reached.
    package func run(
        handle: @escaping @Sendable (RelayMessage, _ send: @escaping @Sendable (RelayMessage) -> Void) async -> Bool
    ) async throws {
        let requests = self.requests
        let auth = self.auth
        let url = self.url
        let room = self.room
        let task = Task {
            let writer = RelayFrameWriter()
            let send: @Sendable (RelayMessage) -> Void = { writer.send($0) }
            defer { requests.cancelAll() }
            try await RelayRoomSocket.run(
                url: url,
                room: room,
                writer: writer,
                opened: { send(auth) },
                receive: { text in
                    guard let frame = try? RelayMessage.parse(text, maximumSize: RelayMessage.relayMaximumFrameSize)
                    else { return true }
                    if case .requestCancel(let requestID) = frame {
                        requests.remove(requestID)?.cancel()
                        return true
                    }
                    return await handle(frame, send)
                }
            )
        }
        let isClosed = connection.withLock { connection in
            connection.task = task
            return connection.isClosed
        }
        if isClosed { task.cancel() }
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            task.cancel()
        }
    }
}
