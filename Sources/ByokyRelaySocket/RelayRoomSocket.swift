public import ByokyCore
import Logging
import WSClient
import WSCore

/// A client's WebSocket connection to a relay room, as the wallet (serving pairings and gifts,
/// redeeming gifts) and the SDK (a paired app) hold one: frames go out in order from a
/// ``RelayFrameWriter``, a ping keeps the room alive, and each text frame read is handed on.
public enum RelayRoomSocket {
    /// How often a ping keeps the room alive.
    public static let keepAliveInterval: Duration = .seconds(30)

    /// Connects to `url` and runs until the relay closes the socket, `receive` returns `false` or
    /// the task is cancelled; `writer` is finished then.
    ///
    /// - Parameters:
    ///   - writer: The frames to send; frames queued before the socket opens go first.
    ///   - ping: The keep-alive frame, made every ``keepAliveInterval``.
    ///   - opened: Called once the socket is up (queue the `auth` frame here).
    ///   - receive: Called with each text frame; return `false` to close the socket.
    /// - Throws: When the relay cannot be reached.
    public static func run(
        url: String,
        writer: RelayFrameWriter,
        ping: @escaping @Sendable () -> RelayMessage = { .ping(ts: 0) },
        opened: @escaping @Sendable () -> Void,
        receive: @escaping @Sendable (String) async -> Bool
    ) async throws {
        var logger = Logger(label: "byoky.relay-socket")
        logger.logLevel = .critical
        _ = try await WebSocketClient.connect(
            url: url,
            configuration: .init(maxFrameSize: RelayMessage.relayMaximumFrameSize),
            logger: logger
        ) { inbound, outbound, _ in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await writer.run(on: outbound) }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: keepAliveInterval)
                        writer.send(ping())
                    }
                }
                opened()
                do {
                    for try await message in inbound.messages(maxSize: RelayMessage.relayMaximumFrameSize) {
                        guard case .text(let text) = message else { continue }
                        guard await receive(text) else { break }
                    }
                } catch {}
                writer.finish()
                group.cancelAll()
            }
        }
    }
}
