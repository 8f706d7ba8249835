public import ByokyCore
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

        public init(
            maximumRequestBodySize: Int = 32 * 1024 * 1024,
            headTimeout: TimeAmount = TimeAmount(ServerLimits.providerSilence)
        ) {
            self.maximumRequestBodySize = maximumRequestBodySize
            self.headTimeout = headTimeout
        }
    }

    /// What an engine remembers between requests for one key holder: caps' reservations, gifts'
    /// holds, relay connections. Engines made per request for the same holder share one.
    public final class State: Sendable {
        let allowances: AllowanceGate
        let giftLedger = GiftLedger()
        let gifts = GiftRelayClient()
        let lastUsedWrites = ThrottledWrites(interval: 60_000)
        let baseURLs = BaseURLCache()
        let backgroundResponses = BackgroundResponses()

        /// - Parameter usageLogIsShared: other processes write the same audit log (several vault
        ///   instances on one database), so the usage caps count is read from it on every capped
        ///   request instead of once per period.
        public init(usageLogIsShared: Bool = false) {
            allowances = AllowanceGate(rereadsUsage: usageLogIsShared)
        }
    }

    let holder: any ProxyKeyHolder
    let httpClient: UpstreamClient
    let configuration: Configuration
    let state: State
    var allowances: AllowanceGate { state.allowances }
    var giftLedger: GiftLedger { state.giftLedger }
    var gifts: GiftRelayClient { state.gifts }
    var lastUsedWrites: ThrottledWrites { state.lastUsedWrites }
    var records: any ProxyRecords { holder.proxyRecords }

    public init(wallet: Wallet, httpClient: UpstreamClient, configuration: Configuration = Configuration()) {
        self.init(holder: wallet, httpClient: httpClient, configuration: configuration, state: State())
    }

    /// An engine serving with `holder`'s keys; `state` is shared by the engines made for it.
    public init(
        holder: any ProxyKeyHolder,
        httpClient: UpstreamClient,
        configuration: Configuration = Configuration(),
        state: State
    ) {
        self.holder = holder
        self.httpClient = httpClient
        self.configuration = configuration
        self.state = state
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
            let records = try await holder.planningRecords(sessionKey: sessionKey)
            try Self.checkOrigin(of: request, against: records.session)
            draft.sessionID = records.session.id
            draft.appName = records.session.appName
            return try await forward(request, records: records, draft: &draft)
        } catch {
            let failure = (error as? ByokyError) ?? ByokyError(.internalError, "The wallet could not serve the request")
            draft.status = failure.httpStatus
            draft.errorCode = failure.code.rawValue
            // Requests without a valid session are not the owner's traffic; they stay out of the log.
            let completion = RequestCompletion(
                entry: draft,
                store: records,
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
            createdAt: holder.now(),
            started: ContinuousClock.now
        )
    }

    /// An error answer in the provider family's format, with the byoky code in a header (and
    /// `x-should-retry: false` when a retry cannot help).
    static func errorResponse(
        _ failure: ByokyError,
        family: APIFamily?,
        completion: RequestCompletion
    ) -> ProxyResponse {
        ProxyResponse(
            status: failure.httpStatus,
            headers: ErrorBody.headers(for: failure),
            body: ProxyResponseBody(
                storage: .buffer(ByteBuffer(bytes: ErrorBody.json(for: failure, family: family))),
                completion: completion
            )
        )
    }

    private func forward(
        _ request: ProxyRequest,
        records planningRecords: PlanningRecords,
        draft: inout RequestLogEntryDraft
    ) async throws -> ProxyResponse {
        let session = planningRecords.session
        var plan = try RequestPlanner.plan(
            request,
            inputs: RequestPlanner.Inputs(
                grantedProviders: planningRecords.grantedProviders,
                group: planningRecords.group,
                credentials: planningRecords.credentials,
                receivedGifts: planningRecords.receivedGifts,
                now: holder.now(),
                maximumBodySize: configuration.maximumRequestBodySize,
                appModel: draft.model
            )
        )
        draft.actualProvider = plan.target.id
        draft.model = plan.model
        if let local = plan.localAnswer {
            draft.status = 200
            let completion = RequestCompletion(
                entry: draft,
                store: records,
                provider: plan.target.id,
                contentType: "application/json"
            )
            return ProxyResponse(
                status: 200,
                headers: [("content-type", "application/json")],
                body: ProxyResponseBody(storage: .buffer(ByteBuffer(bytes: local)), completion: completion)
            ).allowing(origin: session.appOrigin)
        }
        // Most apps have no cap: then there is nothing to reserve, and no need to wait for it;
        // nor for a request that spends no tokens (a model list, a token count, a free check),
        // which is charged nothing, whatever usage its answer describes.
        let caps = AllowanceGate.caps(planningRecords.allowances, counting: request.provider)
        if !caps.isEmpty,
            UnmeteredSpend.matches(method: request.method, path: request.path, family: plan.requested.family)
        {
            throw UnmeteredSpend.refusalUnderCap
        }
        let spendsNoTokens = CostlessRequest.matches(
            method: request.method,
            path: Substring(request.path),
            family: plan.requested.family,
            provider: plan.target.id
        )
        // A stored response read back is recorded once, when it ran in the background (its
        // creation recorded nothing): unless a cap charged that creation its hold.
        let metering: UsageMetering =
            !spendsNoTokens
            ? .always
            : caps.isEmpty
                && BackgroundResponses.isRead(
                    method: request.method,
                    path: Substring(request.path),
                    provider: plan.target.id
                )
                ? .firstReadOfBackgroundResponse(state.backgroundResponses) : .never
        let hold =
            caps.isEmpty || spendsNoTokens
            ? nil
            : try await allowances.hold(
                app: session.appName,
                provider: request.provider,
                estimate: plan.estimate(for: request),
                caps: caps,
                store: records,
                now: holder.now()
            )
        // A request that names no output limit may be sent with what its caps have left.
        if let hold, hold.fittedOutputLimit != nil { plan = try plan.fittingOutput(to: hold) }
        let credential: CredentialRecord
        switch plan.source {
        case .receivedGift(let gift):
            return try await forwardThroughGift(
                request,
                plan: plan,
                gift: gift,
                hold: hold,
                metering: metering,
                draft: draft
            )
            .allowing(origin: session.appOrigin, noting: hold)
        case .credential(let own):
            credential = own
        }
        // A whole answer may be written the moment it has all arrived (translated if need be).
        let earlyAnswer = request.wholeAnswerWriter.map {
            EarlyAnswer(
                writer: $0,
                allowedOrigin: session.appOrigin,
                records: records,
                translation: plan.translation,
                fittedOutputLimit: hold?.fittedOutputLimit
            )
        }
        let (response, addedStreamUsage) = try await send(
            request,
            to: plan.target,
            pathAndQuery: plan.pathAndQuery,
            body: plan.body,
            // A translated body is new JSON: the app's own provider headers mean nothing to the target.
            clientHeaders: plan.translation == nil ? request.headers : [("content-type", "application/json")],
            credential: credential,
            hold: hold,
            // A translated body is the wallet's own writing, which asks for stream usage itself.
            addsStreamUsage: plan.translation == nil,
            earlyAnswer: earlyAnswer
        )
        draft.status = response.status
        let completion = RequestCompletion(
            entry: draft,
            store: records,
            provider: plan.target.id,
            contentType: response.headers.first(name: "content-type"),
            metering: metering,
            hold: hold,
            earlyAnswer: earlyAnswer
        )
        guard plan.translation != nil else {
            return Self.passedThrough(
                response,
                family: plan.requested.family,
                dropsUsageOnlyChunk: addedStreamUsage,
                completion: completion
            ).allowing(origin: session.appOrigin, noting: hold)
        }
        // The translation is read in there: a copy of it here would sit in this function's
        // frame, which every request's task reserves, translated or not.
        return try await translatedResponse(response, plan: plan, completion: completion)
            .allowing(origin: session.appOrigin, noting: hold)
    }

    /// Sends the request with `credential`'s key to `target` under `hold`, which is given back
    /// when sending fails.
    func send(
        _ request: ProxyRequest,
        to target: Provider,
        pathAndQuery: String,
        body: ByteBuffer,
        clientHeaders: [(name: String, value: String)],
        credential: CredentialRecord,
        hold: BudgetHold?,
        addsStreamUsage: Bool = true,
        earlyAnswer: EarlyAnswer? = nil
    ) async throws -> (response: UpstreamClient.Response, addedStreamUsage: Bool) {
        try await BudgetHold.sending(holding: hold) {
            let base = try state.baseURLs.baseURL(for: target, credentialBaseURL: credential.baseURL)
            return try await sendUpstream(
                method: request.method,
                url: base.origin + Self.trimmedPath(of: base) + pathAndQuery,
                base: base,
                target: target,
                clientHeaders: clientHeaders,
                credential: credential,
                secret: try holder.secret(of: credential),
                body: body,
                addsStreamUsage: addsStreamUsage,
                earlyAnswer: earlyAnswer
            )
        }
    }

    /// The provider's answer passed on to the app as it comes, metered and logged by `completion`.
    static func passedThrough(
        _ response: UpstreamClient.Response,
        family: APIFamily?,
        dropsUsageOnlyChunk: Bool,
        completion: RequestCompletion
    ) -> ProxyResponse {
        ProxyResponse(
            status: response.status,
            headers: ResponseHeaderPolicy.filter(
                response.headers,
                bodyIsRewritten: false
            ),
            body: ProxyResponseBody(
                storage: .upstream(
                    response.body,
                    family: family,
                    // Read once, by the completion (a header look-up compares every name).
                    isEventStream: ContentType.isEventStream(completion.contentType),
                    dropsUsageOnlyChunk: dropsUsageOnlyChunk
                ),
                completion: completion
            )
        )
    }

    /// Sends a request upstream with the credential's key injected, after checking its URL stays
    /// under the provider's base. Header allow-list and stream usage options apply (the latter
    /// unless `addsStreamUsage` is false: a translated body already asks for what it needs).
    ///
    /// - Returns: the response, and whether the wallet added `stream_options.include_usage` that the
    ///   app did not ask for (the provider's usage-only chunk must then not reach the app).
    ///
    /// - Parameter earlyAnswer: writes the provider's whole answer to the app as soon as it has
    ///   arrived, when it goes as it is.
    /// - Throws: ``ByokyError`` `INVALID_URL`, `UPSTREAM_TIMEOUT`, `UPSTREAM_UNREACHABLE`.
    func sendUpstream(
        method: String,
        url: String,
        base: AbsoluteURL,
        target: Provider,
        clientHeaders: [(name: String, value: String)],
        credential: CredentialRecord,
        secret: SecretString,
        body: ByteBuffer,
        addsStreamUsage: Bool = true,
        earlyAnswer: EarlyAnswer? = nil
    ) async throws -> (response: UpstreamClient.Response, addedStreamUsage: Bool) {
        let address = try state.baseURLs.requestURL(url, under: base, provider: target)
        let headers = try UpstreamHeaders.build(
            for: target.id,
            clientHeaders: clientHeaders,
            credential: secret,
            authMethod: credential.authMethod
        )
        var body = body
        let injected =
            addsStreamUsage
            ? body.withUnsafeReadableBytes {
                StreamUsageOptions.injected(into: $0, provider: target.id, path: address.path)
            } : nil
        if let injected { body = ByteBuffer(bytes: injected) }
        let method = method.uppercased()
        let sendsBody = body.readableBytes > 0 || method == "POST" || method == "PUT" || method == "PATCH"
        let response: UpstreamClient.Response
        do {
            response = try await httpClient.execute(
                method: method,
                url: address,
                headers: headers.fields,
                body: sendsBody ? body : nil,
                headTimeout: configuration.headTimeout,
                onWhole: earlyAnswer
            )
        } catch UpstreamError.invalidHeader {
            throw ByokyError(.invalidRequest, "A header of the request cannot be sent to \(target.displayName)")
        } catch UpstreamError.headTimeout, UpstreamError.idleTimeout {
            throw ByokyError(.upstreamTimeout, "\(target.displayName) did not answer in time")
        } catch {
            throw ByokyError(.upstreamUnreachable, "Could not reach \(target.displayName)", underlying: error)
        }
        if lastUsedWrites.shouldWrite(credential.id, now: holder.now()) {
            try? await records.touchCredential(id: credential.id, at: holder.now())
        }
        return (response, injected != nil)
    }

    /// A base URL's path without a trailing slash (empty for the root).
    static func trimmedPath(of base: AbsoluteURL) -> String {
        let path = base.path
        // By bytes: `hasSuffix` and `removeLast` work on characters, at some cost per request.
        guard path.utf8.last == UInt8(ascii: "/") else { return path }
        return String(decoding: path.utf8.dropLast(), as: UTF8.self)
    }

    /// A web session answers only its own origin; a session made for a program answers no web page.
    static func checkOrigin(of request: ProxyRequest, against session: ByokyStore.SessionRecord) throws {
        let origin = request.headers.first { HeaderText.name($0.name, is: "origin") }?.value
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
        if let model = geminiPathModel(in: request.pathAndQuery) { return model }
        guard request.body.readableBytes > 0, request.body.readableBytes <= 10_485_760,
            request.body.readableBytesView.first == UInt8(ascii: "{")
        else { return nil }
        return request.body.withUnsafeReadableBytes { JSONTopLevelScanner.string(forKey: "model", in: $0) }
    }

    private static let geminiModelsMarker = Array("/models/".utf8)

    /// The model in a Gemini path (`…/models/{model}:method`), before any query.
    ///
    /// Scanned as bytes with a plain loop: the standard library's generic `firstRange(of:)` cost
    /// about 5 % of a passthrough request here.
    static func geminiPathModel(in pathAndQuery: String) -> String? {
        var text = pathAndQuery
        return text.withUTF8 { bytes -> String? in
            let marker = geminiModelsMarker
            var index = 0
            while index + marker.count <= bytes.count, bytes[index] != UInt8(ascii: "?") {
                guard bytes[index] == UInt8(ascii: "/"), bytes[index..<(index + marker.count)].elementsEqual(marker)
                else {
                    index += 1
                    continue
                }
                let start = index + marker.count
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: ":"), bytes[end] != UInt8(ascii: "?") { end += 1 }
                guard end < bytes.count, bytes[end] == UInt8(ascii: ":") else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
            return nil
        }
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
}
