public import ByokyCore
import Foundation
import Logging
import WSClient
import WSCore

/// A client's WebSocket connection to a relay room, as the wallet (serving pairings and gifts,
/// redeeming gifts) and the SDK (a paired app) hold one: frames go out in order from a
/// ``RelayFrameWriter``, a ping keeps the room alive, and each text frame read is handed on.
public enum RelayRoomSocket {
    /// How often a ping keeps the room alive.
    public static let keepAliveInterval: Duration = .seconds(30)

    /// Limits and timers of one connection.
    public struct Options: Sendable {
        /// The largest frame sent or read.
        public var maximumFrameSize = RelayMessage.relayMaximumFrameSize
        /// How often the keep-alive frame goes out.
        public var keepAliveInterval = RelayRoomSocket.keepAliveInterval
        /// Whether the WebSocket layer pings too (besides the relay's own ping frames).
        public var webSocketPings = true

        public init() {}
    }

    /// `url` with the room named in its query (`room=<id>`): the relay itself reads the room from
    /// the `auth` frame, but a proxy in front of several relays can only see the URL, and hashes
    /// on this so both peers of a room reach the same relay (docs/deploy.md).
    public static func routedURL(_ url: String, room: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        if components.path.isEmpty { components.path = "/" }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "room", value: room)]
        return components.string ?? url
    }

    /// Connects to `url` and runs until the relay closes the socket, `receive` returns `false` or
    /// the task is cancelled; `writer` is finished then.
    ///
    /// - Parameters:
    ///   - room: The relay room joined (sent in the URL for proxies; see ``routedURL(_:room:)``).
    ///   - writer: The frames to send; frames queued before the socket opens go first.
    ///   - options: Frame size limit and keep-alive timing.
    ///   - ping: The keep-alive frame, made every ``Options/keepAliveInterval``.
    ///   - opened: Called once the socket is up (queue the `auth` frame here).
    ///   - receive: Called with each text frame; return `false` to close the socket.
    /// - Throws: When the relay cannot be reached.
    public static func run(
        url: String,
        room: String?,
        writer: RelayFrameWriter,
        options: Options = Options(),
        ping: @escaping @Sendable () -> RelayMessage = { .ping(ts: 0) },
        opened: @escaping @Sendable () -> Void,
        receive: @escaping @Sendable (String) async -> Bool
    ) async throws {
        var logger = Logger(label: "byoky.relay-socket")
        logger.logLevel = .critical
        var configuration = WebSocketClientConfiguration(maxFrameSize: options.maximumFrameSize)
        if !options.webSocketPings { configuration.autoPing = .disabled }
        let address = room.map { routedURL(url, room: $0) } ?? url
        _ = try await WebSocketClient.connect(url: address, configuration: configuration, logger: logger) {
            inbound,
            outbound,
            _ in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await writer.run(on: outbound) }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: options.keepAliveInterval)
                        guard !Task.isCancelled else { return }
                        writer.send(ping())
                    }
                }
                opened()
                do {
                    for try await message in inbound.messages(maxSize: options.maximumFrameSize) {
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
