import ByokyCore
import ByokyProxyHTTP
import ByokyServerStore
import ByokyWallet
import Crypto
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `/proxy/…`: an app's requests under its vault session. `/proxy/<provider>/…` is the bridge's
/// provider route (same proxy engine, URL and header policy, limits, errors in the provider's
/// format); `/proxy/v1/session…` and `/proxy/v1/events` are the wallet's session API, so an SDK
/// treats `<vault>/proxy` as it treats a local bridge.
struct ProxyRoutes: Sendable {
    let sessions: VaultAppSessions
    let store: VaultStore
    let configuration: VaultConfiguration
    let httpClient: UpstreamClient
    let states = EngineStates()

    func register(on router: Router<VaultContext>) {
        router.get("/proxy/v1/session") { request, _ in
            await answer {
                let (session, _) = try await opened(request)
                return SessionStatus(
                    connected: true,
                    expiresAt: session.expiresAt,
                    providers: try await offer(to: session)
                )
            }
        }
        router.get("/proxy/v1/session/usage") { request, _ in
            await answer { try await store.usage(ofSession: try await opened(request).session.id) }
        }
        router.post("/proxy/v1/session/disconnect") { request, _ in
            await answer {
                let (session, _) = try await opened(request)
                _ = try await store.revokeAppSession(id: session.id, of: session.userID, at: configuration.clock())
                return SessionStatus(connected: false)
            }
        }
        router.get("/proxy/v1/events") { request, _ in
            do {
                return try await events(for: try await opened(request).session)
            } catch {
                return BridgeResponses.error(Self.byokyError(error), family: nil)
            }
        }
        let provider: @Sendable (Request, VaultContext) async throws -> Response = { request, context in
            try await forward(request, provider: ProviderID(context.parameters.get("provider") ?? ""))
        }
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/proxy/{provider}/**", method: method, use: provider)
        }
    }

    /// `/proxy/<provider>/…` for a registered provider, answered on the connection's channel
    /// (``ProxyHTTP1Channel``) as the bridge answers `/<provider>/…`: no router, no request or
    /// response conversion. The router's route below answers what this leaves (an unknown
    /// provider).
    func channelRoute() -> ProxyRoute {
        var route = ProxyRoute(
            bodyLimit: configuration.proxy.maximumRequestBodySize,
            provider: { ProxyRoute.provider(named: $0, under: Self.prefix) },
            respond: respond(to:for:body:writer:)
        )
        // As the router's CORS middleware does for every answer (VaultCORS).
        route.refusalsReadableByAnyPage = true
        route.clientIdleTimeout = configuration.clientIdleTimeout.map(TimeAmount.init)
        return route
    }

    /// A provider request whose body has been read, answered through its session's engine;
    /// `writer` writes the provider's whole answer as soon as it has arrived.
    private func respond(
        to head: ProxyRequestHead,
        for provider: Provider,
        body: ByteBuffer,
        writer: (any WholeAnswerWriter)?
    ) async -> ProxyAnswer {
        let fields = head.fields
        let key = SessionKeyExtractor.sessionKey(fields: fields, query: head.query)
        let engine: ProxyEngine
        do {
            engine = try await self.engine(forSessionKey: key)
        } catch {
            // As the router's CORS middleware would: the page may read why it was refused.
            var refusal = BridgeResponses.error(Self.byokyError(error), family: provider.family)
            if let origin = head.origin { BridgeCORS.allow(origin, in: &refusal.headers) }
            return .response(refusal)
        }
        return await ProxiedRequest.answer(
            head,
            fields: fields,
            body: body,
            to: provider,
            under: Self.prefix,
            sessionKey: key,
            engine: engine,
            wholeAnswerWriter: writer
        )
    }

    /// The path the provider routes live under.
    static let prefix = "/proxy"

    private func forward(_ request: Request, provider id: ProviderID) async throws -> Response {
        guard let provider = ProviderRegistry.provider(id) else {
            return BridgeResponses.error(
                ByokyError(.notFound, "Unknown provider \"\(TerminalText.printable(id.rawValue))\""),
                family: nil
            )
        }
        let key = SessionKeyExtractor.sessionKey(headers: request.headers, query: request.uri.query)
        let engine: ProxyEngine
        do {
            engine = try await self.engine(forSessionKey: key)
        } catch {
            return BridgeResponses.error(Self.byokyError(error), family: provider.family)
        }
        return await ProxiedRequest.forward(
            request,
            to: provider,
            pathAndQuery: ProxiedRequest.pathAndQuery(of: request, after: Self.prefix + "/" + id.rawValue),
            headers: ProxiedRequest.headers(of: request),
            sessionKey: key,
            engine: engine,
            limit: configuration.proxy.maximumRequestBodySize
        )
    }

    /// The proxy engine of the session behind `key`, keyed to its account.
    private func engine(forSessionKey key: String?) async throws -> ProxyEngine {
        let opened = try await sessions.open(key: key ?? "")
        return ProxyEngine(
            holder: VaultKeyHolder(
                store: store,
                session: opened.session,
                dataKey: opened.dataKey,
                now: configuration.clock
            ),
            httpClient: httpClient,
            configuration: configuration.proxy,
            state: states.state(for: opened.session.userID)
        )
    }

    /// The session behind the request's key, if the request may use it: a session bound to an
    /// origin answers only that origin, a program's session no page at all.
    private func opened(_ request: Request) async throws -> (session: VaultAppSession, dataKey: SymmetricKey) {
        let key = SessionKeyExtractor.sessionKey(headers: request.headers, query: nil) ?? ""
        let (session, dataKey) = try await sessions.open(key: key)
        let origin = request.headers[.origin]
        guard session.appOrigin == origin else {
            throw ByokyError(.originNotAllowed, "This session is bound to another origin")
        }
        return (session, dataKey)
    }

    private func offer(to session: VaultAppSession) async throws -> [String: ProviderAvailability] {
        try await sessions.offer(
            session.providers.split(separator: ",").map { ProviderID(String($0)) },
            app: session.appName,
            userID: session.userID,
            now: configuration.clock()
        )
    }

    /// `session.revoked` (then the end) once the session is ended or expired, `providers.updated`
    /// when what it may use changes; checked every ``VaultConfiguration/eventPollInterval``. A
    /// stream lasts at most ten minutes (the SDK opens the next), so instances can be restarted.
    private func events(for session: VaultAppSession) async throws -> Response {
        let interval = configuration.eventPollInterval
        let store = self.store
        let clock = configuration.clock
        let hash = session.tokenHash
        let first = try await offer(to: session)
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: .init { writer in
                var last = first
                var sse = SSEWriter()
                sse.writeComment("connected")
                try await writer.write(ByteBuffer(bytes: sse.takeBytes()))
                let end = ContinuousClock.now + .seconds(600)
                while !Task.isCancelled, !Task.isShuttingDownGracefully, ContinuousClock.now < end {
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                    } catch {
                        break
                    }
                    guard let live = try? await store.appSession(tokenHash: hash, now: clock()), live.id == session.id
                    else {
                        sse.writeEvent(
                            type: "session.revoked",
                            data: WalletAPI.encode(WalletEvent(type: .sessionRevoked))
                        )
                        try await writer.write(ByteBuffer(bytes: sse.takeBytes()))
                        break
                    }
                    if let now = try? await offer(to: session), now != last {
                        last = now
                        let event = WalletEvent(type: .providersUpdated, providers: now)
                        sse.writeEvent(type: "providers.updated", data: WalletAPI.encode(event))
                    } else {
                        sse.writeComment("keep-alive")
                    }
                    try await writer.write(ByteBuffer(bytes: sse.takeBytes()))
                }
                try await writer.finish(nil)
            }
        )
    }

    /// A session-API answer as JSON, or its error in the wallet API's format.
    private func answer(_ body: () async throws -> some Encodable & Sendable) async -> Response {
        do {
            return BridgeResponses.json(WalletAPI.encode(try await body()))
        } catch {
            return BridgeResponses.error(Self.byokyError(error), family: nil)
        }
    }

    static func byokyError(_ error: any Error) -> ByokyError {
        if let error = error as? ByokyError { return error }
        if error is DatabaseUnavailable {
            return ByokyError(.serviceUnavailable, "The vault's database is not answering — try again shortly")
        }
        return ByokyError(.internalError, "The vault could not serve the request")
    }
}
