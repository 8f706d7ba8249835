import ByokyCore
import ByokyStore
import ByokyTranslate
public import NIOCore
import NIOHTTP1

/// Serves app requests with the owner's keys: checks the session's grant, picks the credential,
/// validates the upstream URL, injects the key, forwards the request and streams the answer back,
/// recording usage in the audit log.
public struct ProxyEngine: Sendable {
    /// Limits and timeouts.
    public struct Configuration: Sendable {
        /// The largest request body accepted (default 32 MiB).
        public var maximumRequestBodySize: Int
        /// How long to wait for the upstream's response head.
        public var headTimeout: TimeAmount

        public init(maximumRequestBodySize: Int = 32 * 1024 * 1024, headTimeout: TimeAmount = .seconds(120)) {
            self.maximumRequestBodySize = maximumRequestBodySize
            self.headTimeout = headTimeout
        }
    }

    let wallet: Wallet
    let httpClient: UpstreamClient
    let configuration: Configuration
    let allowances = AllowanceGate()
    let giftLedger = GiftLedger()
    let gifts = GiftRelayClient()
    let lastUsedWrites = ThrottledWrites(interval: 60_000)

    public init(wallet: Wallet, httpClient: UpstreamClient, configuration: Configuration = Configuration()) {
        self.wallet = wallet
        self.httpClient = httpClient
        self.configuration = configuration
    }

    /// A client for upstream calls: idle (read) timeout rather than a wall-clock limit, so long
    /// generations are not cut; no redirects, which could carry the key elsewhere.
    public static func makeHTTPClient() -> UpstreamClient {
        UpstreamClient()
    }

    /// Handles `request` for the app holding `sessionKey`. Failures come back as responses in the
    /// provider family's error format, never as thrown errors.
    public func handle(_ request: ProxyRequest, sessionKey: String?) async -> ProxyResponse {
        let family = ProviderRegistry.provider(request.provider)?.family
        var draft = logDraft(for: request, appName: "unknown")
        do {
            try request.checkPath()
            guard let sessionKey, !sessionKey.isEmpty else {
                throw ByokyError(.unauthorized, "Missing session key — pass your byoky session key as the API key")
            }
            let session = try await wallet.authenticate(sessionKey: sessionKey)
            try Self.checkOrigin(of: request, against: session)
            draft.sessionID = session.id
            draft.appName = session.appName
            return try await forward(request, session: session, draft: &draft)
        } catch {
            let failure = (error as? ByokyError) ?? ByokyError(.internalError, "The wallet could not serve the request")
            draft.status = failure.httpStatus
            draft.errorCode = failure.code.rawValue
            // Requests without a valid session are not the owner's traffic; they stay out of the log.
            let completion = RequestCompletion(
                entry: draft,
                store: wallet.store,
                provider: request.provider,
                contentType: nil,
                shouldLog: draft.sessionID != nil
            )
            return Self.errorResponse(failure, family: family, completion: completion)
        }
    }

    /// The audit-log entry of a request as it starts, before its app and outcome are known.
    func logDraft(for request: ProxyRequest, appName: String) -> RequestLogEntryDraft {
        RequestLogEntryDraft(
            sessionID: nil,
            appName: appName,
            provider: request.provider,
            actualProvider: request.provider,
            model: Self.model(of: request),
            method: request.method,
            path: request.path,
            status: 0,
            errorCode: nil,
            createdAt: wallet.now(),
            started: ContinuousClock.now
        )
    }

    /// An error answer in the provider family's format, with the byoky code in a header.
    static func errorResponse(
        _ failure: ByokyError,
        family: APIFamily?,
        completion: RequestCompletion
    ) -> ProxyResponse {
        ProxyResponse(
            status: failure.httpStatus,
            headers: [("content-type", "application/json"), (ErrorBody.codeHeaderName, failure.code.rawValue)],
            body: ProxyResponseBody(
                storage: .buffer(ByteBuffer(bytes: ErrorBody.json(for: failure, family: family))),
                completion: completion
            )
        )
    }

    private func forward(
        _ request: ProxyRequest,
        session: ByokyStore.SessionRecord,
        draft: inout RequestLogEntryDraft
    ) async throws -> ProxyResponse {
        guard let provider = ProviderRegistry.provider(request.provider) else {
            throw ByokyError(.notFound, "Unknown provider \"\(request.provider.rawValue)\"")
        }
        guard session.providerIDs.contains(request.provider.rawValue) else {
            throw ByokyError.providerUnavailable(request.provider)
        }
        guard request.body.readableBytes <= configuration.maximumRequestBodySize else {
            throw ByokyError.payloadTooLarge("Request body", limit: configuration.maximumRequestBodySize)
        }
        let credentials = try await wallet.credentials()
        let group = try await wallet.group(forApp: session.appName)
        if let gift = try RouteResolver.gift(
            requested: request.provider,
            group: group,
            credentials: credentials,
            gifts: try await wallet.receivedGifts(),
            now: wallet.now()
        ) {
            draft.actualProvider = request.provider
            return try await forwardThroughGift(request, gift: gift, session: session, draft: &draft)
        }
        guard let route = RouteResolver.resolve(requested: request.provider, group: group, credentials: credentials)
        else {
            throw ByokyError(
                .noCredential,
                RouteResolver.noCredentialMessage(
                    for: request.provider,
                    held: credentials.map(\.provider),
                    group: group
                )
            )
        }
        guard let target = ProviderRegistry.provider(route.target) else {
            throw ByokyError(.internalError, "The route names an unknown provider")
        }
        draft.actualProvider = route.target
        let credential = route.credential
        let secret = try wallet.secret(of: credential)
        let base = try ProviderURLPolicy.baseURL(for: target, credentialBaseURL: credential.baseURL)
        let basePath = Self.trimmedPath(of: base)
        var pathAndQuery = Self.removingKeyParameter(from: request.pathAndQuery, provider: request.provider)
        var body = request.body
        var translation: ChatTranslator.OutboundRequest?
        switch route.kind {
        case .swap:
            guard request.path.hasSuffix("/chat/completions"), let chatPath = target.chatPath else {
                throw ByokyError(
                    .translationNotSupported,
                    "This app is routed to \(target.displayName); only chat requests can move between providers"
                )
            }
            pathAndQuery = chatPath
        case .translate:
            guard let sourceFamily = provider.family, let model = route.model else {
                throw ByokyError(.translationNotSupported, "\(provider.displayName) requests cannot be translated")
            }
            let outbound = try ChatTranslator.translateRequest(
                body.readableBytesView,
                path: pathAndQuery,
                from: sourceFamily,
                to: target,
                model: model,
                requestID: SecureRandom.hexToken(byteCount: 12)
            )
            translation = outbound
            draft.model = model
            pathAndQuery = outbound.path
            body = ByteBuffer(bytes: outbound.body)
        case .direct:
            break
        }
        if let model = route.model, translation == nil {
            draft.model = model
            if provider.family == .gemini {
                pathAndQuery = Self.replacingGeminiModel(in: pathAndQuery, with: model)
            } else if let patched = JSONPatch.settingTopLevelString(
                "model",
                to: model,
                in: Array(body.readableBytesView)
            ) {
                body = ByteBuffer(bytes: patched)
            }
        }
        let reservation = try await allowances.reserve(
            app: session.appName,
            provider: request.provider,
            estimate: TokenEstimate.worstCase(for: request, model: draft.model),
            caps: try await wallet.allowances(forApp: session.appName),
            store: wallet.store,
            now: wallet.now()
        )
        let response: UpstreamClient.Response
        let addedStreamUsage: Bool
        do {
            (response, addedStreamUsage) = try await sendUpstream(
                method: request.method,
                url: base.origin + basePath + pathAndQuery,
                base: base,
                target: target,
                // A translated body is new JSON: the app's own provider headers mean nothing to the target.
                clientHeaders: translation == nil ? request.headers : [("content-type", "application/json")],
                credential: credential,
                secret: secret,
                body: body
            )
        } catch {
            if let reservation { allowances.settle(reservation, tokens: 0) }
            throw error
        }

        let contentType = response.headers.first(name: "content-type")
        draft.status = response.status
        var responseHeaders = ResponseHeaderPolicy.filter(
            response.headers.map { (name: $0.name, value: $0.value) },
            bodyIsRewritten: translation != nil
        )
        let gate = allowances
        let completion = RequestCompletion(
            entry: draft,
            store: wallet.store,
            provider: route.target,
            contentType: contentType,
            settle: { usage, status in
                guard let reservation else { return }
                // Unknown usage counts as the reserved worst case; a failed request costs nothing.
                gate.settle(reservation, tokens: status < 400 ? usage?.totalTokens ?? reservation.amount : 0)
            }
        )
        if let origin = session.appOrigin {
            responseHeaders.append((name: "access-control-allow-origin", value: origin))
            responseHeaders.append((name: "vary", value: "origin"))
        }
        if let translation {
            return try await translatedResponse(
                response,
                translation: translation,
                headers: responseHeaders,
                completion: completion
            )
        }
        return ProxyResponse(
            status: response.status,
            headers: responseHeaders,
            body: ProxyResponseBody(
                storage: .upstream(
                    response.body,
                    family: provider.family,
                    isEventStream: ContentType.isEventStream(contentType),
                    dropsUsageOnlyChunk: addedStreamUsage
                ),
                completion: completion
            )
        )
    }

    /// Sends a request upstream with the credential's key injected, after checking its URL stays
    /// under the provider's base. Header allow-list and stream usage options apply.
    ///
    /// - Returns: the response, and whether the wallet added `stream_options.include_usage` that the
    ///   app did not ask for (the provider's usage-only chunk must then not reach the app).
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL`, `UPSTREAM_TIMEOUT`, `UPSTREAM_UNREACHABLE`.
    func sendUpstream(
        method: String,
        url: String,
        base: AbsoluteURL,
        target: Provider,
        clientHeaders: [(name: String, value: String)],
        credential: CredentialRecord,
        secret: SecretString,
        body: ByteBuffer
    ) async throws -> (response: UpstreamClient.Response, addedStreamUsage: Bool) {
        let address = try ProviderURLPolicy.validate(url, under: base, provider: target)
        let headers = try UpstreamHeaders.build(
            for: target.id,
            clientHeaders: clientHeaders,
            credential: secret,
            authMethod: AuthMethod(rawValue: credential.authMethod) ?? .apiKey
        )
        var body = body
        let injected = StreamUsageOptions.injected(into: Array(body.readableBytesView), provider: target.id)
        if let injected { body = ByteBuffer(bytes: injected) }
        let sendsBody = body.readableBytes > 0 || ["POST", "PUT", "PATCH"].contains(method.uppercased())
        let response: UpstreamClient.Response
        do {
            response = try await httpClient.execute(
                method: method.uppercased(),
                url: address,
                headers: headers.map { ($0.key, $0.value) },
                body: sendsBody ? body : nil,
                headTimeout: configuration.headTimeout
            )
        } catch UpstreamError.headTimeout, UpstreamError.idleTimeout {
            throw ByokyError(.upstreamTimeout, "\(target.displayName) did not answer in time")
        } catch {
            throw ByokyError(.upstreamUnreachable, "Could not reach \(target.displayName)", underlying: error)
        }
        if lastUsedWrites.shouldWrite(credential.id, now: wallet.now()) {
            try? await wallet.store.touchCredential(id: credential.id, at: wallet.now())
        }
        return (response, injected != nil)
    }

    /// A base URL's path without a trailing slash (empty for the root).
    static func trimmedPath(of base: AbsoluteURL) -> String {
        var path = base.path
        if path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// A web session answers only its own origin; a session made for a program answers no web page.
    static func checkOrigin(of request: ProxyRequest, against session: ByokyStore.SessionRecord) throws {
        let origin = request.headers.first { $0.name.lowercased() == "origin" }?.value
        switch (session.appOrigin, origin) {
        case (nil, nil):
            return
        case (let bound?, let sent?) where bound == sent:
            return
        case (nil, _?):
            throw ByokyError(.originNotAllowed, "This session belongs to a program, not a web page")
        case (_?, _):
            throw ByokyError(.originNotAllowed, "This session is bound to another origin")
        }
    }

    /// A Gemini path with its model replaced (`/v1beta/models/{model}:method`).
    static func replacingGeminiModel(in pathAndQuery: String, with model: String) -> String {
        guard let range = pathAndQuery.firstRange(of: "/models/") else { return pathAndQuery }
        let rest = pathAndQuery[range.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { return pathAndQuery }
        return pathAndQuery[..<range.upperBound] + APIFamily.percentEncodePathSegment(model) + rest[colon...]
    }

    /// The request's model: the body's `model`, or the model in a Gemini path.
    static func model(of request: ProxyRequest) -> String? {
        if let range = request.path.firstRange(of: "/models/") {
            let rest = request.path[range.upperBound...]
            if let colon = rest.firstIndex(of: ":") { return String(rest[..<colon]) }
        }
        guard request.body.readableBytes > 0, request.body.readableBytes <= 10_485_760,
            request.body.readableBytesView.first == UInt8(ascii: "{")
        else { return nil }
        return request.body.withUnsafeReadableBytes { JSONTopLevelScanner.string(forKey: "model", in: $0) }
    }

    /// Drops a Gemini `key` query parameter: on the bridge it holds the session key, which must
    /// never travel upstream.
    static func removingKeyParameter(from pathAndQuery: String, provider: ProviderID) -> String {
        guard provider == .gemini, let question = pathAndQuery.firstIndex(of: "?") else { return pathAndQuery }
        let path = pathAndQuery[..<question]
        let kept = pathAndQuery[pathAndQuery.index(after: question)...].split(separator: "&").filter {
            !$0.hasPrefix("key=") && $0 != "key"
        }
        return kept.isEmpty ? String(path) : path + "?" + kept.joined(separator: "&")
    }

    /// The original's three messages for a provider the wallet holds no key for.
    static func noCredentialMessage(for provider: ProviderID, held: [String]) -> String {
        let distinct = Array(Set(held)).sorted()
        if distinct.isEmpty { return "No API keys in your wallet. Add a key for any provider to get started." }
        return "No \(provider.rawValue) API key found. You have keys for: \(distinct.joined(separator: ", ")). "
            + "Add a \(provider.rawValue) key, or assign this app to one of those providers."
    }
}
