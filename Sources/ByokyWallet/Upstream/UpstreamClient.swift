public import ByokyCore
public import NIOCore
public import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The proxy's HTTP/1.1 client for provider calls: keep-alive connections pooled per origin,
/// TLS for `https`, response bodies streamed with back-pressure, an idle (not wall-clock) read
/// limit, no redirects (which could carry a key elsewhere) and no decompression.
///
/// Built on SwiftNIO directly: a request costs one write and the reads of its answer, with no
/// per-request machinery beyond that (AsyncHTTPClient took about 300 µs per call here).
public final class UpstreamClient: Sendable {
    /// Limits and timeouts.
    public struct Configuration: Sendable {
        public var connectTimeout: TimeAmount = .seconds(10)
        /// How long the provider may stay silent in the middle of an answer.
        public var readIdleTimeout: TimeAmount = TimeAmount(ServerLimits.providerSilence)
        /// Idle connections kept per origin.
        public var maximumIdlePerOrigin = 64
        /// The event loops connections run on.
        public var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

        public init() {}
    }

    /// A response head and its streaming body.
    public struct Response: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: UpstreamBody
    }

    struct Origin: Hashable, Sendable {
        let scheme: String
        let host: String
        let port: Int
    }

    public let configuration: Configuration
    private let idle = Mutex<[Origin: [UpstreamConnection]]>([:])
    private let isShutDown = Mutex(false)
    /// Made on the first `https` connection (loading the system's trust roots costs memory a
    /// wallet that only talks to local models never needs).
    private let tlsContext = Mutex<NIOSSLContext?>(nil)

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    private func tls() -> NIOSSLContext? {
        tlsContext.withLock { context in
            if context == nil { context = try? NIOSSLContext(configuration: .makeClientConfiguration()) }
            return context
        }
    }

    /// Sends a request and returns once the response head has arrived (within `headTimeout`).
    ///
    /// `host` and `content-length` among `headers` are ignored (they are set from `url` and
    /// `body`); the method and every other name must be HTTP tokens and no value may hold CR, LF
    /// or NUL.
    ///
    /// - Throws: ``UpstreamError``, ``UpstreamError/invalidHeader`` before anything is sent.
    public func execute(
        method: String,
        url: AbsoluteURL,
        headers: [(String, String)],
        body: ByteBuffer?,
        headTimeout: TimeAmount
    ) async throws -> Response {
        try await execute(
            method: method,
            url: url,
            headers: headers,
            body: body,
            headTimeout: headTimeout,
            onWhole: nil
        )
    }

    /// ``execute(method:url:headers:body:headTimeout:)``, with `onWhole` hearing the answer's head
    /// and whole body the moment it ends cleanly before its body was read (``UpstreamBody``).
    func execute(
        method: String,
        url: AbsoluteURL,
        headers: [(String, String)],
        body: ByteBuffer?,
        headTimeout: TimeAmount,
        onWhole: (any WholeAnswerTaker)?
    ) async throws -> Response {
        let origin = Origin(
            scheme: url.scheme,
            host: url.host,
            port: url.effectivePort ?? (url.scheme == "https" ? 443 : 80)
        )
        // Checked here, once, instead of by NIO's outbound validator on the channel.
        let request = try UpstreamRequest(
            method: method,
            target: url.pathAndQuery,
            host: UpstreamRequest.hostHeader(
                host: origin.host,
                port: origin.port,
                defaultPort: origin.scheme == "https" ? 443 : 80
            ),
            headers: headers,
            body: body
        )

        // A pooled connection may have been closed by the provider just now: try a fresh one then.
        for attempt in 0..<2 {
            let connection = try await connection(to: origin, fresh: attempt > 0)
            do {
                let (responseHead, responseBody) = try await connection.send(
                    request,
                    headTimeout: headTimeout,
                    onWhole: onWhole
                ) { [weak self] in
                    self?.release(connection, to: origin)
                }
                return Response(status: responseHead.status, headers: responseHead.headers, body: responseBody)
            } catch UpstreamError.connectionClosed where attempt == 0 && connection.wasReused {
                continue
            }
        }
        throw UpstreamError.connectionClosed
    }

    /// Closes every idle connection; later requests fail with ``UpstreamError/shutDown``.
    public func shutdown() async throws {
        isShutDown.withLock { $0 = true }
        let connections = idle.withLock { pools in
            defer { pools.removeAll() }
            return pools.values.flatMap { $0 }
        }
        for connection in connections { connection.close() }
    }

    private func connection(to origin: Origin, fresh: Bool) async throws -> UpstreamConnection {
        guard !isShutDown.withLock({ $0 }) else { throw UpstreamError.shutDown }
        if !fresh {
            // On an event loop, only a connection on that same loop is taken: using one on another
            // loop would cost two thread hops per request, more than a new connection costs once.
            let onEventLoop = configuration.eventLoopGroup.any().inEventLoop
            // The origin's list is changed in place: one hash of the origin, no copy of the list.
            while let pooled = idle.withLock({ pools -> UpstreamConnection? in
                guard let slot = pools.index(forKey: origin) else { return nil }
                let count = pools.values[slot].count
                let local = pools.values[slot].lastIndex { $0.channel.eventLoop.inEventLoop }
                guard let index = local ?? (onEventLoop || count == 0 ? nil : count - 1) else { return nil }
                return pools.values[slot].remove(at: index)
            }) {
                if pooled.isUsable {
                    pooled.wasReused = true
                    return pooled
                }
            }
        }
        return try await connect(to: origin)
    }

    private func release(_ connection: UpstreamConnection, to origin: Origin) {
        let kept = idle.withLock { pools -> Bool in
            guard !isShutDown.withLock({ $0 }), configuration.maximumIdlePerOrigin > 0 else { return false }
            guard let slot = pools.index(forKey: origin) else {
                pools[origin] = [connection]
                return true
            }
            guard pools.values[slot].count < configuration.maximumIdlePerOrigin else { return false }
            pools.values[slot].append(connection)
            return true
        }
        if !kept { connection.close() }
    }

    private func connect(to origin: Origin) async throws -> UpstreamConnection {
        let tls = origin.scheme == "https" ? tls() : nil
        if origin.scheme == "https", tls == nil { throw UpstreamError.connectFailed }
        let readIdle = configuration.readIdleTimeout
        let bootstrap = ClientBootstrap(group: configuration.eventLoopGroup.any())
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let operations = channel.pipeline.syncOperations
                    if let tls {
                        try operations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: origin.host))
                    }
                    // Requests are written, serialized already, and answers read from the bytes
                    // by the one handler.
                    try operations.addHandler(UpstreamResponseHandler(readIdleTimeout: readIdle))
                }
            }
        do {
            let channel = try await bootstrap.connect(host: origin.host, port: origin.port).get()
            return UpstreamConnection(channel: channel)
        } catch {
            throw UpstreamError.connectFailed
        }
    }
}
