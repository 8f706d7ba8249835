import ByokyCore
import ByokyRelay
import ByokyRelayHost
import ByokyTesting
import Testing

/// A wallet's connection to a relay room ends when it is closed, whenever the close comes: before,
/// a close that came before the connection's task was filed (or before it ran at all) was lost,
/// and the room stayed held until the relay dropped it.
@Suite(.timeLimit(.minutes(1)))
struct RelaySenderSocketTests {
    static func socket(port: Int) -> RelaySenderSocket {
        RelaySenderSocket(
            url: "ws://127.0.0.1:\(port)",
            auth: .auth(roomID: "room-close-test", authToken: "token", role: .sender, priority: 1)
        )
    }

    /// Runs `socket` and reports whether it returned within `limit`.
    static func ends(_ socket: RelaySenderSocket, within limit: Duration) async -> Bool {
        let running = Task { () -> Bool in
            _ = try? await socket.run { _, _ in true }
            return true
        }
        let ended = await TaskDeadline.value(of: running, within: limit) ?? false
        running.cancel()
        return ended
    }

    @Test func aSocketClosedBeforeItRunsEndsAtOnce() async throws {
        try await RelayServer().withRunningServer { port in
            let socket = Self.socket(port: port)
            socket.close()
            #expect(await Self.ends(socket, within: .seconds(10)))
        }
    }

    @Test func aSocketClosedWhileItRunsEnds() async throws {
        try await RelayServer().withRunningServer { port in
            let socket = Self.socket(port: port)
            let running = Task { try? await socket.run { _, _ in true } }
            try await Task.sleep(for: .milliseconds(300))
            socket.close()
            let ending = Task { () -> Bool in
                await running.value
                return true
            }
            let ended = await TaskDeadline.value(of: ending, within: .seconds(10))
            #expect(ended == true)
            running.cancel()
        }
    }
}
