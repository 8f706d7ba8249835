import ByokyCore
import ByokyProxyHTTP
import ByokyStore
import ByokyWallet
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The app-facing wallet API under `/v1/` on the bridge port.
struct WalletAPIRoutes: Sendable {
    let wallet: Wallet
    let approvals: ApprovalBook
    let bridgeURL: @Sendable () -> String
    let onConnectRequest: @Sendable (PendingApproval) -> Void
    /// How often the event stream looks for changes.
    var pollIntervalMilliseconds = 1000

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/connect") { request, _ in
            try await guarded(request) { try await connect(request) }
        }
        router.get("/v1/connect/{id}") { request, context in
            try await guarded(request) {
                try await status(id: context.parameters.get("id") ?? "", request: request)
            }
        }
        router.get("/v1/session") { request, _ in
            try await guarded(request) {
                guard let session = try? await authenticate(request) else {
                    return BridgeResponses.json(WalletAPI.encode(SessionStatus(connected: false)))
                }
                let providers = try await wallet.availability(for: session.providerIDs)
                return BridgeResponses.json(
                    WalletAPI.encode(SessionStatus(connected: true, expiresAt: session.expiresAt, providers: providers))
                )
            }
        }
        router.get("/v1/session/usage") { request, _ in
            try await guarded(request) {
                let session = try await authenticate(request)
                return BridgeResponses.json(WalletAPI.encode(try await wallet.usage(ofSession: session.id)))
            }
        }
        router.get("/v1/events") { request, _ in
            try await guarded(request) { try await events(request) }
        }
        router.post("/v1/session/disconnect") { request, _ in
            try await guarded(request) {
                let session = try await authenticate(request)
                try await wallet.revokeSession(id: session.id)
                return BridgeResponses.json(WalletAPI.encode(SessionStatus(connected: false)))
            }
        }
    }

    private func connect(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: WalletAPI.maximumBodySize + 1)
        var connect = try WalletAPI.decode(ConnectRequest.self, from: Array(body.readableBytesView))
        if let origin = request.headers[.origin] {
            // A browser names its page's origin; the app may not claim another.
            guard connect.app.origin == nil || connect.app.origin == origin else {
                throw ByokyError(.originNotAllowed, "The app's origin does not match the page making the request")
            }
            connect.app.origin = origin
        }
        if connect.reconnectOnly == true {
            throw ByokyError(.userRejected, "No earlier approval to restore — connect again")
        }
        let approval = try approvals.submit(connect, now: wallet.now())
        // An installed app's origin is answered at once, for its declared providers only.
        if let status = try await wallet.approveIfTrusted(approval, bridgeURL: bridgeURL()) {
            approvals.decide(approval.id, status)
        } else {
            onConnectRequest(approval)
        }
        return BridgeResponses.json(
            WalletAPI.encode(ConnectTicket(requestId: approval.id, expiresAt: approval.expiresAt)),
            status: .accepted
        )
    }

    private func status(id: String, request: Request) async throws -> Response {
        let wait = min(30, max(0, Int(request.uri.queryParameters.get("wait") ?? "0") ?? 0))
        let deadline = ContinuousClock.now + .seconds(wait)
        while true {
            guard approvals.isVisible(id, to: request.headers[.origin]),
                let status = approvals.status(of: id, now: wallet.now())
            else {
                throw ByokyError(.notFound, "No connect request \(id)")
            }
            if status.status != .pending || ContinuousClock.now >= deadline {
                return BridgeResponses.json(WalletAPI.encode(status))
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A server-sent event stream for one session: `providers.updated` when what the app may use
    /// changes (keys, groups), and `session.revoked` (then the stream ends) when the session is
    /// revoked or expires. Checked once a second; a comment keeps idle connections open. The stream
    /// ends when the daemon shuts down, so open streams never hold up a restart; the SDK reconnects.
    private func events(_ request: Request) async throws -> Response {
        let session = try await authenticate(request)
        let wallet = self.wallet
        let providers = session.providerIDs
        let interval = Duration.milliseconds(pollIntervalMilliseconds)
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: .init { writer in
                var last = try await wallet.availability(for: providers, app: session.appName)
                var sse = SSEWriter()
                sse.writeComment("connected")
                try await writer.write(ByteBuffer(bytes: sse.takeBytes()))
                var ticks = 0
                while !Task.isCancelled, !Task.isShuttingDownGracefully {
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                    } catch {
                        break
                    }
                    ticks += 1
                    let live = try? await wallet.store.session(keyHash: session.keyHash)
                    if live == nil || live?.revokedAt != nil || (live?.expiresAt ?? 0) <= wallet.now() {
                        sse.writeEvent(
                            type: "session.revoked",
                            data: WalletAPI.encode(WalletEvent(type: .sessionRevoked))
                        )
                        try await writer.write(ByteBuffer(bytes: sse.takeBytes()))
                        break
                    }
                    let now = try await wallet.availability(for: providers, app: session.appName)
                    if now != last {
                        last = now
                        let event = WalletEvent(type: .providersUpdated, providers: now)
                        sse.writeEvent(type: "providers.updated", data: WalletAPI.encode(event))
                        try await writer.write(ByteBuffer(bytes: sse.takeBytes()))
                    } else if ticks % 15 == 0 {
                        sse.writeComment("keep-alive")
                        try await writer.write(ByteBuffer(bytes: sse.takeBytes()))
                    }
                }
                try await writer.finish(nil)
            }
        )
    }

    private func authenticate(_ request: Request) async throws -> SessionRecord {
        guard let key = SessionKeyExtractor.sessionKey(headers: request.headers, query: nil) else {
            throw ByokyError(.unauthorized, "Missing session key")
        }
        let session = try await wallet.authenticate(sessionKey: key)
        let origin = request.headers[.origin]
        guard session.appOrigin == origin || (session.appOrigin == nil && origin == nil) else {
            throw ByokyError(.originNotAllowed, "This session is bound to another origin")
        }
        return session
    }

    /// Loopback check, then the handler; errors become the wallet API's error JSON.
    private func guarded(_ request: Request, _ body: () async throws -> Response) async throws -> Response {
        if let refusal = WalletDaemon.refuseNonLoopback(request) { return refusal }
        var response: Response
        do {
            response = try await body()
        } catch let error as ByokyError {
            response = BridgeResponses.error(error, family: nil)
        }
        // Browsers may read wallet API answers; session routes above already refused other origins.
        if let origin = request.headers[.origin] { BridgeCORS.allow(origin, in: &response.headers) }
        return response
    }
}
