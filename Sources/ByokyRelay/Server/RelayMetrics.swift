import Synchronization

/// Counters for `/metrics` (Prometheus text format).
final class RelayMetrics: Sendable {
    private let frames = Atomic<Int>(0)
    private let bytes = Atomic<Int>(0)
    private let connections = Atomic<Int>(0)
    private let connectionsTotal = Atomic<Int>(0)
    private let authFailures = Atomic<Int>(0)

    func countFrame(bytes count: Int) {
        frames.add(1, ordering: .relaxed)
        bytes.add(count, ordering: .relaxed)
    }

    func connectionOpened() {
        connections.add(1, ordering: .relaxed)
        connectionsTotal.add(1, ordering: .relaxed)
    }

    func connectionClosed() { connections.subtract(1, ordering: .relaxed) }

    /// WebSocket connections open now.
    var openConnections: Int { connections.load(ordering: .relaxed) }

    func countAuthFailure() { authFailures.add(1, ordering: .relaxed) }

    func render(rooms: Int, senders: Int, recipients: Int) -> String {
        let lines = [
            "# HELP byoky_relay_rooms Rooms open now.", "# TYPE byoky_relay_rooms gauge", "byoky_relay_rooms \(rooms)",
            "# HELP byoky_relay_peers Authenticated peers now, by role.", "# TYPE byoky_relay_peers gauge",
            "byoky_relay_peers{role=\"sender\"} \(senders)", "byoky_relay_peers{role=\"recipient\"} \(recipients)",
            "# HELP byoky_relay_connections WebSocket connections open now.", "# TYPE byoky_relay_connections gauge",
            "byoky_relay_connections \(connections.load(ordering: .relaxed))",
            "# HELP byoky_relay_connections_total WebSocket connections accepted.",
            "# TYPE byoky_relay_connections_total counter",
            "byoky_relay_connections_total \(connectionsTotal.load(ordering: .relaxed))",
            "# HELP byoky_relay_frames_total Frames received.", "# TYPE byoky_relay_frames_total counter",
            "byoky_relay_frames_total \(frames.load(ordering: .relaxed))",
            "# HELP byoky_relay_frame_bytes_total Bytes of frames received.",
            "# TYPE byoky_relay_frame_bytes_total counter",
            "byoky_relay_frame_bytes_total \(bytes.load(ordering: .relaxed))",
            "# HELP byoky_relay_auth_failures_total Refused authentications.",
            "# TYPE byoky_relay_auth_failures_total counter",
            "byoky_relay_auth_failures_total \(authFailures.load(ordering: .relaxed))",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}
