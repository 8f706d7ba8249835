package import ByokySDK
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle
import Synchronization

/// An app backend for tests: a real Hummingbird WebSocket server with a `ByokyServer` route at
/// `/byoky` on a free loopback port, keeping the relay clients that connect.
package enum RelayBackend {
    /// The clients the backend has seen, in arrival order.
    package final class Clients: Sendable {
        private let clients = Mutex<[ByokyRelayClient]>([])

        func add(_ client: ByokyRelayClient) { clients.withLock { $0.append(client) } }

        /// The `index`-th client to connect, waiting for it (at most `timeout`).
        package func client(_ index: Int = 0, timeout: Duration = .seconds(10)) async throws -> ByokyRelayClient {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if let client = clients.withLock({ $0.count > index ? $0[index] : nil }) { return client }
                try await Task.sleep(for: .milliseconds(25))
            }
            throw ByokyError(.timeout, "no relay client connected")
        }
    }

    /// Runs the backend for the duration of `body`, which gets its port and its clients.
    package static func with<Result: Sendable>(
        configuration: ByokyServer.Configuration = .init(),
        _ body: @Sendable (Int, Clients) async throws -> Result
    ) async throws -> Result {
        let clients = Clients()
        let server = ByokyServer(configuration: configuration)
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.ws("/byoky") { inbound, outbound, _ in
            try await server.handleConnection(inbound: inbound, outbound: outbound) { client in clients.add(client) }
        }
        let port = Mutex<Int?>(nil)
        var logger = Logger(label: "backend")
        logger.logLevel = .critical
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade(webSocketRouter: router),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            let serviceGroup = ServiceGroup(services: [app], gracefulShutdownSignals: [], logger: logger)
            group.addTask { try await serviceGroup.run() }
            var bound: Int?
            for _ in 0..<200 where bound == nil {
                bound = port.withLock { $0 }
                if bound == nil { try await Task.sleep(for: .milliseconds(10)) }
            }
            guard let boundPort = bound else { throw ByokyError(.timeout, "the test backend did not start") }
            let result: Result
            do {
                result = try await body(boundPort, clients)
            } catch {
                await serviceGroup.triggerGracefulShutdown()
                throw error
            }
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
            return result
        }
    }
}
