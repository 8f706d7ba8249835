import ByokyCore
import Foundation
public import Hummingbird
import HummingbirdWebSocket
public import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import WSCore

/// The relay as an HTTP server: WebSocket upgrades on any path (as the original), `GET /health`
/// and `GET /metrics`.
public struct RelayServer: Sendable {
    public let hub: RelayHub

    /// - Parameter frameTrace: hears every frame a peer sends (with `relay:auth` secrets redacted),
    ///   for auditing what the relay can see; `nil` (the default) records nothing.
    public init(limits: RelayLimits = .init(), frameTrace: (@Sendable (String) -> Void)? = nil) {
        hub = RelayHub(limits: limits, frameTrace: frameTrace)
    }

    /// Serves one WebSocket until it closes.
    func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async {
        let peer = RelayPeer(id: SecureRandom.hexToken(byteCount: 8))
        hub.metrics.connectionOpened()
        defer { hub.metrics.connectionClosed() }
        let hub = self.hub
        // A shutting-down relay closes its sockets instead of waiting for clients to leave.
        await cancelWhenGracefulShutdown {
            await Self.pump(peer: peer, hub: hub, inbound: inbound, outbound: outbound)
        }
    }

    private static func pump(
        peer: RelayPeer,
        hub: RelayHub,
        inbound: WebSocketInboundStream,
        outbound: WebSocketOutboundWriter
    ) async {
        await withTaskGroup(of: Void.self) { group in
            // Either side ending ends the connection: the socket closing, or the relay closing the
            // peer (idle sweep).
            group.addTask {
                for await frame in peer.outbound {
                    do { try await outbound.write(.text(frame)) } catch { break }
                }
            }
            group.addTask {
                do {
                    for try await message in inbound.messages(maxSize: hub.limits.maximumFrameSize) {
                        guard case .text(let text) = message else { continue }
                        guard text.utf8.count <= hub.limits.maximumFrameSize else { break }
                        hub.receive(text, from: peer)
                    }
                } catch {}
            }
            await group.next()
            hub.leave(peer)
            peer.close()
            group.cancelAll()
        }
    }

    /// A Hummingbird application for the relay on `host:port`.
    public func makeApplication(
        host: String,
        port: Int,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let webSockets = Router(context: BasicWebSocketRequestContext.self)
        webSockets.ws("/**") { inbound, outbound, _ in await self.serve(inbound: inbound, outbound: outbound) }
        webSockets.ws("/") { inbound, outbound, _ in await self.serve(inbound: inbound, outbound: outbound) }
        let router = Router()
        let hub = self.hub
        router.get("/health") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok","rooms":\#(hub.roomCount)}"#))
            )
        }
        router.get("/metrics") { _, _ in
            let counts = hub.snapshot()
            let text = hub.metrics.render(rooms: counts.rooms, senders: counts.senders, recipients: counts.recipients)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: text))
            )
        }
        var configuration = WebSocketServerConfiguration(maxFrameSize: hub.limits.maximumFrameSize)
        configuration.autoPing = .enabled(timePeriod: .seconds(30))
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: webSockets, configuration: .init(ws: configuration)),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            services: [RelaySweeper(hub: hub)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

extension RelayServer {
    /// Runs the relay on `host` and `port` (0: a free one) while `body` runs (for tests, benchmarks and
    /// embedding), then shuts it down gracefully.
    public func withRunningServer<Result: Sendable>(
        host: String = "127.0.0.1",
        port requestedPort: Int = 0,
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "byoky.relay")
        logger.logLevel = .critical
        let bound = Mutex<Int?>(nil)
        let app = makeApplication(host: host, port: requestedPort, logger: logger) { port in
            bound.withLock { $0 = port }
        }
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var port: Int?
            for _ in 0..<1000 where port == nil {
                port = bound.withLock { $0 }
                if port == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            guard let port else {
                await group.triggerGracefulShutdown()
                throw ByokyError(.timeout, "The relay did not start")
            }
            let result: Result
            do {
                result = try await body(port)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}

/// Closes idle rooms periodically.
struct RelaySweeper: Service {
    let hub: RelayHub

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: hub.limits.sweepInterval) }
            hub.sweep()
        }
    }
}
