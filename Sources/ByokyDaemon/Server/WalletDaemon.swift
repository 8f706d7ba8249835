import ByokyCore
import ByokyHTTPServer
import ByokyProxyHTTP
public import ByokyRelayHost
import ByokyStore
public import ByokyWallet
import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import UnixSignals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wallet daemon: the loopback bridge apps and CLI tools talk to.
///
/// Routes:
/// - `/{provider}/…`: any provider-native request (`/anthropic/v1/messages`,
///   `/openai/v1/chat/completions`, `/gemini/v1beta/models/{model}:generateContent`, `/cohere/v2/chat`, …),
///   authenticated by the session key in the provider's own auth header. Answered on the
///   connection's channel, ahead of the router (`ProxyHTTP1Channel`).
/// - `GET /v1/health`: liveness and lock state.
///
/// Every request must be addressed to a loopback host name (DNS-rebinding defence).
public final class WalletDaemon: Sendable {
    /// Where the daemon listens.
    public struct Configuration: Sendable {
        /// Listen address; keep it on loopback.
        public var host: String
        /// Listen port; 0 picks a free one.
        public var port: Int
        /// Proxy limits.
        public var proxy: ProxyEngine.Configuration
        /// The owner's control socket (mode 0600); `nil` serves none.
        public var controlSocketPath: String?
        /// Called when an app asks to connect (e.g. to show it in the owner's terminal).
        public var onConnectRequest: @Sendable (PendingApproval) -> Void
        /// Lock the wallet after this long without requests; `nil` never locks.
        public var autoLockAfter: Duration?
        /// Hears about the gifts this wallet gives coming online, going offline and being used.
        public var onGiftEvent: @Sendable (GiftHost.Event) -> Void
        /// How often listed gifts' boards hear a heartbeat and the usage.
        public var marketplaceReportInterval: Duration = .seconds(60)
        /// The marketplace whose app catalogue the wallet page's App Store shows.
        public var appCatalogueURL = MarketplaceClient.defaultURL
        /// How long a connection may wait on its client with nothing arriving before it is
        /// closed (``ProxyRoute/clientIdleTimeout``); `nil` waits forever.
        public var clientIdleTimeout: Duration? = ServerLimits.clientIdleTimeout

        public init(
            host: String = "127.0.0.1",
            port: Int = 19280,
            proxy: ProxyEngine.Configuration = .init(),
            controlSocketPath: String? = nil,
            autoLockAfter: Duration? = nil,
            onConnectRequest: @escaping @Sendable (PendingApproval) -> Void = { _ in },
            onGiftEvent: @escaping @Sendable (GiftHost.Event) -> Void = { _ in }
        ) {
            self.autoLockAfter = autoLockAfter
            self.onGiftEvent = onGiftEvent
            self.host = host
            self.port = port
            self.proxy = proxy
            self.controlSocketPath = controlSocketPath
            self.onConnectRequest = onConnectRequest
        }
    }

    public let wallet: Wallet
    public let configuration: Configuration
    /// Connect requests waiting for the owner.
    public let approvals = ApprovalBook()
    let engine: ProxyEngine
    /// Serves the gifts this wallet gives, through their relays.
    public let giftHost: GiftHost
    /// The relay pairings this daemon serves.
    public let pairings: PairingBook
    /// The owner's browser logins to the wallet page.
    let owners: OwnerSessions
    let autoLock: AutoLock
    /// Keeps the boards of listed gifts up to date.
    let giftReporter: GiftReporter
    private let boundPort = Mutex<Int>(0)

    public init(wallet: Wallet, httpClient: UpstreamClient, configuration: Configuration = Configuration()) {
        self.wallet = wallet
        self.configuration = configuration
        self.engine = ProxyEngine(wallet: wallet, httpClient: httpClient, configuration: configuration.proxy)
        self.giftHost = GiftHost(wallet: wallet, engine: engine, onEvent: configuration.onGiftEvent)
        self.pairings = PairingBook(wallet: wallet, engine: engine)
        self.owners = OwnerSessions(now: wallet.now)
        self.autoLock = AutoLock(wallet: wallet, idleLimit: configuration.autoLockAfter)
        let giftHost = self.giftHost
        self.giftReporter = GiftReporter(
            wallet: wallet,
            interval: configuration.marketplaceReportInterval,
            online: { giftHost.onlineGiftIDs },
            logger: StandardErrorLogHandler.logger(label: "byoky.marketplace-reporter", level: .notice)
        )
    }

    /// The bridge's base URL once it listens.
    var bridgeURL: String {
        AbsoluteURL.origin(scheme: "http", host: configuration.host, port: boundPort.withLock { $0 })
    }

    private func servers() throws -> [HTTPServerRunner.Server] {
        var servers = [
            HTTPServerRunner.Server(
                router: makeRouter(),
                address: .hostname(configuration.host, port: configuration.port),
                server: ProxyHTTP1Channel.server(route: proxyRoute())
            )
        ]
        if let socket = configuration.controlSocketPath {
            unlink(socket)
            let routes = ControlRoutes(
                wallet: wallet,
                approvals: approvals,
                bridgeURL: { [self] in bridgeURL },
                autoLock: autoLock,
                onChange: { [giftHost, wallet, giftReporter] in
                    if wallet.isUnlocked { await giftHost.reconcile() } else { giftHost.stop() }
                    giftReporter.poke()
                },
                onlineGifts: { [giftHost] in giftHost.onlineGiftIDs },
                pairings: pairings,
                owners: owners
            )
            servers.append(
                HTTPServerRunner.Server(router: routes.makeRouter(), address: .unixDomainSocket(path: socket))
            )
        }
        return servers
    }

    private func markReady(_ ports: [Int]) {
        boundPort.withLock { $0 = ports[0] }
        if let socket = configuration.controlSocketPath { chmod(socket, 0o600) }
        let giftHost = self.giftHost
        Task { await giftHost.reconcile() }
    }

    /// What runs beside the servers: the log's retention and auto-lock.
    private var backgroundServices: [any Service] {
        [LogPruner(wallet: wallet), autoLock, giftReporter]
    }

    /// Refuses to start beside a daemon that already serves this wallet (``ControlSocketProbe``).
    ///
    /// - Throws: ``ByokyError`` `INVALID_REQUEST`.
    private func checkNoOtherDaemon() async throws {
        guard let socket = configuration.controlSocketPath, await ControlSocketProbe.isAnswering(at: socket) else {
            return
        }
        throw ByokyError(.invalidRequest, "This wallet is already running; stop it before starting it again")
    }

    /// Ends gift hosting and gift connections when the daemon stops.
    private func stopRelays() {
        giftHost.stop()
        pairings.stopAll()
        engine.closeGiftConnections()
    }

    /// Runs the daemon until `body` returns (or, with `body` waiting forever, until cancelled);
    /// `body` receives the bound port. Then it stops gracefully: answers in flight (a stream
    /// included) get `shutdownGrace` to end before their connections are cut.
    public func withRunningServer<Result: Sendable>(
        logger: Logger? = nil,
        shutdownGrace: Duration = .seconds(10),
        _ body: @Sendable (Int) async throws -> Result
    ) async throws -> Result {
        let quiet = StandardErrorLogHandler.logger(label: "byoky.daemon")
        try await checkNoOtherDaemon()
        do {
            return try await HTTPServerRunner.withRunningServers(
                try servers(),
                alongside: backgroundServices,
                logger: logger ?? quiet,
                shutdownGrace: shutdownGrace
            ) { ports in
                markReady(ports)
                defer { stopRelays() }
                return try await body(ports[0])
            }
        } catch is HTTPServerRunner.BindFailure {
            throw ByokyError(
                .internalError,
                "Cannot listen on \(configuration.host):\(configuration.port) — is another byoky already running?"
            )
        }
    }

    /// Runs the daemon until SIGINT or SIGTERM, then shuts down gracefully (in-flight streams finish).
    ///
    /// - Parameter onReady: called once with the bound port.
    public func run(logger: Logger? = nil, onReady: @escaping @Sendable (Int) -> Void) async throws {
        let quiet = StandardErrorLogHandler.logger(label: "byoky.daemon")
        try await checkNoOtherDaemon()
        try await HTTPServerRunner.runUntilSignalled(
            try servers(),
            alongside: backgroundServices,
            logger: logger ?? quiet
        ) { ports in
            self.markReady(ports)
            onReady(ports[0])
        }
        stopRelays()
        if let socket = configuration.controlSocketPath { unlink(socket) }
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        let wallet = self.wallet
        let engine = self.engine
        let autoLock = self.autoLock
        let limit = configuration.proxy.maximumRequestBodySize

        WalletAPIRoutes(
            wallet: wallet,
            approvals: approvals,
            bridgeURL: { [self] in bridgeURL },
            onConnectRequest: configuration.onConnectRequest
        ).register(on: router)
        WebFileRoutes.register(on: router)
        let giftHost = self.giftHost
        WalletPageRoutes(
            wallet: wallet,
            approvals: approvals,
            owners: owners,
            pairings: pairings,
            autoLock: autoLock,
            onlineGifts: { [giftHost] in giftHost.onlineGiftIDs },
            bridgeURL: { [self] in bridgeURL },
            appCatalogueURL: configuration.appCatalogueURL,
            forward: { request, provider, pathAndQuery, headers, sessionKey in
                autoLock.touch()
                return await ProxiedRequest.forward(
                    request,
                    to: provider,
                    pathAndQuery: pathAndQuery,
                    headers: headers,
                    sessionKey: sessionKey,
                    engine: engine,
                    limit: limit
                )
            },
            onChange: { [giftReporter] in
                if wallet.isUnlocked { await giftHost.reconcile() } else { giftHost.stop() }
                giftReporter.poke()
            }
        ).register(on: router)
        router.get("/v1/health") { request, _ in
            if let refusal = Self.refuseNonLoopback(request) { return refusal }
            var response = BridgeResponses.json(
                WalletAPI.encode(WalletHealth(version: ByokyVersion.current, locked: !wallet.isUnlocked))
            )
            // Any page may find out that a wallet runs here (that is how the SDK detects it).
            if let origin = request.headers[.origin] { BridgeCORS.allow(origin, in: &response.headers) }
            return response
        }
        // Requests for a registered provider are answered on the connection's channel
        // (`proxyRoute()`); the router sees the rest (an unknown provider, a bare `/anthropic/`).
        let route = proxyRoute()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, context in
            let providerID = ProviderID(context.parameters.get("provider") ?? "")
            guard let provider = ProviderRegistry.provider(providerID) else {
                if let refusal = Self.refuseNonLoopback(request) { return refusal }
                return BridgeResponses.error(
                    ByokyError(.notFound, "Unknown provider \"\(providerID.rawValue)\" — see `byoky providers`"),
                    family: nil
                )
            }
            guard let head = ProxyRequestHead(request.head) else {
                let failure = ByokyError(.invalidRequest, "The request has no path")
                return BridgeResponses.error(failure, family: provider.family)
            }
            guard let body = try? await request.body.collect(upTo: limit) else {
                return ProxiedRequest.bodyTooLarge(limit: limit, for: provider)
            }
            return await route.respond(head, provider, body, nil).response()
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/{provider}/**", method: method, use: handler)
        }
        let preflight: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            if let refusal = Self.refuseNonLoopback(request) { return refusal }
            return try await Self.preflight(request, wallet: wallet)
        }
        // Concrete routes must list OPTIONS themselves: the router does not fall back to wildcards.
        for path in [
            "/{provider}/**", "/v1/connect", "/v1/connect/{id}", "/v1/session", "/v1/session/usage",
            "/v1/session/disconnect", "/v1/health", "/v1/events",
        ] {
            router.on(RouterPath(path), method: .options, use: preflight)
        }
        return router
    }

    /// The bridge's provider requests (`/<provider>/…`), answered on the connection's channel.
    func proxyRoute() -> ProxyRoute {
        let engine = self.engine
        let autoLock = self.autoLock
        let limit = configuration.proxy.maximumRequestBodySize
        var route = ProxyRoute(bodyLimit: limit, provider: ProxyRoute.provider(named:)) {
            head,
            provider,
            body,
            writer in
            guard let host = head.host, HostCheck.isLoopback(host) else { return .response(Self.nonLoopbackRefusal) }
            autoLock.touch()
            let fields = head.fields
            return await ProxiedRequest.answer(
                head,
                fields: fields,
                body: body,
                to: provider,
                under: "",
                sessionKey: SessionKeyExtractor.sessionKey(fields: fields, query: head.query),
                engine: engine,
                wholeAnswerWriter: writer
            )
        }
        route.clientIdleTimeout = configuration.clientIdleTimeout.map(TimeAmount.init)
        return route
    }

    /// Answers a CORS preflight: the wallet API (`/v1/…`) for any page (connecting needs the owner's
    /// approval, everything else a session key), a provider route only for an origin that holds a
    /// live session.
    static func preflight(_ request: Request, wallet: Wallet) async throws -> Response {
        guard let origin = request.headers[.origin] else { return Response(status: .noContent) }
        let isWalletAPI = request.uri.path.hasPrefix("/v1/")
        let hasSession = isWalletAPI ? true : try await wallet.store.hasLiveSession(origin: origin, now: wallet.now())
        guard hasSession else {
            return BridgeResponses.error(
                ByokyError(.originNotAllowed, "No session of this wallet belongs to \(origin)"),
                family: nil
            )
        }
        return BridgeCORS.preflightAnswer(for: request, origin: origin)
    }

    /// A refusal for requests not addressed to a loopback host name, else `nil`.
    static func refuseNonLoopback(_ request: Request) -> Response? {
        guard let host = request.head.authority, HostCheck.isLoopback(host) else { return nonLoopbackRefusal }
        return nil
    }

    static var nonLoopbackRefusal: Response {
        BridgeResponses.error(
            ByokyError(.originNotAllowed, "The byoky bridge only answers requests addressed to localhost"),
            family: nil
        )
    }
}
