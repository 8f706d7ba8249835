import ByokyCore
import ByokyRelaySocket
import Foundation
import Synchronization
public import WSCore

/// The app backend's side of a backend relay. Use it inside any Hummingbird (or other
/// swift-websocket) WebSocket handler:
///
/// ```swift
/// let byoky = ByokyServer()
/// router.ws("/byoky") { inbound, outbound, _ in
///     try await byoky.handleConnection(inbound: inbound, outbound: outbound) { client in
///         let fetch = client.createFetch(.anthropic)
///         let answer = try await fetch(.init(url: "https://api.anthropic.com/v1/messages", body: body))
///         for try await piece in answer.body { … }
///     }
/// }
/// ```
public struct ByokyServer: Sendable {
    /// Limits and timeouts.
    public struct Configuration: Sendable {
        /// How long to wait for the front end's `relay:hello`.
        public var helloTimeout: Duration = .seconds(10)
        /// How long a request may wait for its response head, and for each next piece of its body
        /// (by default ten minutes, as long as the wallet waits on the provider).
        public var requestTimeout: Duration = ServerLimits.providerSilence
        /// How often to send `relay:ping`; `nil` sends none.
        public var pingInterval: Duration? = .seconds(30)
        /// The largest frame accepted from the front end; a bigger one ends the connection (and
        /// fails its requests with `RELAY_DISCONNECTED`) instead of hanging them.
        public var maximumFrameSize = RelayMessage.relayMaximumFrameSize

        public init() {}
    }

    public let configuration: Configuration

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Serves one WebSocket connection from a front end: waits for its `relay:hello`, runs `body`
    /// with a client for it (while frames keep being read), and returns when the connection
    /// closes and `body` has returned. Requests still pending then fail with `RELAY_DISCONNECTED`.
    ///
    /// - Throws: ``ByokyError`` `RELAY_CONNECTION_FAILED` when no hello arrives in time, or what
    ///   `body` throws.
    public func handleConnection(
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter,
        _ body: @escaping @Sendable (ByokyRelayClient) async throws -> Void
    ) async throws {
        let writer = RelayFrameWriter()
        let connection = RelayConnection(configuration: configuration) { writer.send($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await writer.run(on: outbound) }
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: configuration.maximumFrameSize) {
                        guard case .text(let text) = message else { continue }
                        // One oversized frame ends the connection: its requests fail at once
                        // (RELAY_DISCONNECTED) rather than waiting for an answer that will not come.
                        guard text.utf8.count <= configuration.maximumFrameSize else { break }
                        connection.receive(text)
                    }
                } catch {}
                connection.close(reason: "The front end's relay connection closed")
                writer.finish()
            }
            if let interval = configuration.pingInterval {
                group.addTask {
                    while !connection.isClosed, !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        writer.send(.ping(ts: (Date().timeIntervalSince1970 * 1000).rounded()))
                    }
                }
            }
            let client = try await connection.waitForHello()
            try await body(client)
            try await group.next()
            group.cancelAll()
        }
    }
}
