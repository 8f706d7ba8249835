public import ByokyCore
public import ByokyStore
import ByokyTranslate
import NIOCore

/// Decides a ``RequestPlan`` once per request, from values the engine read before: the session's
/// grant, the app's group, the owner's keys and received gifts. Pure: no I/O, so every routing
/// case is tested without a server.
public enum RequestPlanner {
    /// What the planner needs to know besides the request.
    public struct Inputs: Sendable {
        /// The providers the app's session may use.
        public var grantedProviders: [ProviderID]
        public var group: GroupRecord?
        public var credentials: [CredentialRecord]
        public var receivedGifts: [ReceivedGiftRecord]
        /// Unix ms.
        public var now: Int64
        /// The largest request body accepted.
        public var maximumBodySize: Int
        /// The id a translated request carries; `nil` makes a random one, only when one is needed.
        public var requestID: String?
        /// The model the app's request names (body or Gemini path), read once by the engine.
        public var appModel: String?

        public init(
            grantedProviders: [ProviderID],
            group: GroupRecord?,
            credentials: [CredentialRecord],
            receivedGifts: [ReceivedGiftRecord],
            now: Int64,
            maximumBodySize: Int,
            requestID: String? = nil,
            appModel: String?
        ) {
            self.grantedProviders = grantedProviders
            self.group = group
            self.credentials = credentials
            self.receivedGifts = receivedGifts
            self.now = now
            self.maximumBodySize = maximumBodySize
            self.requestID = requestID
            self.appModel = appModel
        }
    }

    /// The plan for `request`.
    ///
    /// - Throws: ``ByokyError``: `NOT_FOUND` (unknown provider), `PROVIDER_UNAVAILABLE` (not
    ///   granted), `PAYLOAD_TOO_LARGE`, `NO_CREDENTIAL`, `GIFT_REVOKED`/`GIFT_EXPIRED`,
    ///   `TRANSLATION_NOT_SUPPORTED`, or a translation's refusal in the app's terms.
    public static func plan(_ request: ProxyRequest, inputs: Inputs) throws -> RequestPlan {
        guard let requested = ProviderRegistry.provider(request.provider) else {
            throw ByokyError(.notFound, "Unknown provider \"\(request.provider.rawValue)\"")
        }
        guard inputs.grantedProviders.contains(request.provider) else {
            throw ByokyError.providerUnavailable(request.provider)
        }
        // Refused on every route, before any key is chosen: the answer would be a credential.
        if CredentialMintingEndpoint.matches(method: request.method, path: request.path, family: requested.family) {
            throw CredentialMintingEndpoint.refusal
        }
        guard request.body.readableBytes <= inputs.maximumBodySize else {
            throw ByokyError.payloadTooLarge("Request body", limit: inputs.maximumBodySize)
        }
        let appModel = inputs.appModel
        let pathAndQuery = ProxyEngine.removingKeyParameter(from: request.pathAndQuery, provider: request.provider)
        // Resolved once: whether an own key serves the request decides whether a gift may.
        let ownRoute = RouteResolver.resolve(
            requested: request.provider,
            group: inputs.group,
            credentials: inputs.credentials
        )
        if let gift = try RouteResolver.gift(
            requested: request.provider,
            group: inputs.group,
            ownRoute: ownRoute,
            gifts: inputs.receivedGifts,
            now: inputs.now
        ) {
            if let reason = gift.endedReason { throw reason.error }
            guard !GiftBudget.isExpired(expiresAt: gift.expiresAt, now: inputs.now) else {
                throw ByokyError(.giftExpired, "This gift has expired")
            }
            // The relayed request names the provider's real address, which a custom base URL has not.
            guard !requested.requiresCustomBaseURL else { throw ByokyError.providerUnavailable(request.provider) }
            return RequestPlan(
                source: .receivedGift(gift),
                requested: requested,
                target: requested,
                kind: .direct,
                pathAndQuery: pathAndQuery,
                body: request.body,
                translation: nil,
                model: appModel
            )
        }
        guard let route = ownRoute else {
            throw ByokyError(
                .noCredential,
                RouteResolver.noCredentialMessage(
                    for: request.provider,
                    held: inputs.credentials.map(\.provider.rawValue),
                    group: inputs.group
                )
            )
        }
        guard let target = ProviderRegistry.provider(route.target) else {
            throw ByokyError(.internalError, "The route names an unknown provider")
        }
        if route.kind != .direct,
            let asked = ModelListing.request(method: request.method, pathAndQuery: request.pathAndQuery, of: requested),
            let family = requested.family
        {
            return modelListPlan(asked, family: family, route: route, requested: requested, target: target)
        }
        if route.kind == .translate, let family = requested.family,
            TokenCounting.isRequest(method: request.method, path: Substring(request.path), family: family)
        {
            // Counted by the target when its API counts (with the tokenizer of the model that will
            // answer); else by the wallet's estimate. Either way the app gets its own format.
            if let model = route.model, let targetFamily = target.family, TokenCounting.countsChats(targetFamily) {
                let outbound = try ChatTranslator.translateTokenCountRequest(
                    request.body.readableBytesView,
                    from: family,
                    to: target,
                    model: model,
                    requestID: inputs.requestID ?? TranslationRequestID.next()
                )
                return RequestPlan(
                    source: .credential(route.credential),
                    requested: requested,
                    target: target,
                    kind: route.kind,
                    pathAndQuery: outbound.path,
                    body: ByteBuffer(bytes: outbound.body),
                    translation: outbound,
                    model: route.model
                )
            }
            let tokens = TokenCounting.estimate(bodyBytes: request.body.readableBytes)
            return RequestPlan(
                source: .credential(route.credential),
                requested: requested,
                target: target,
                kind: route.kind,
                pathAndQuery: "",
                body: ByteBuffer(),
                translation: nil,
                model: route.model,
                localAnswer: TokenCounting.answer(tokens: tokens, family: family)
            )
        }
        var path = pathAndQuery
        var body = request.body
        var translation: ChatTranslator.OutboundRequest?
        switch route.kind {
        case .swap:
            // A Responses call moves to a provider that serves that API too.
            if let moved = ResponsesEndpoint.moved(request.path, from: requested, to: target) {
                path = moved
                break
            }
            guard request.path.hasSuffix("/chat/completions"), let chatPath = target.chatPath else {
                throw ByokyError(
                    .translationNotSupported,
                    "This app is routed to \(target.displayName); only chat requests (and Responses calls, to a provider that serves that API) can move between providers"
                )
            }
            path = chatPath
        case .translate:
            guard let sourceFamily = requested.family, let model = route.model else {
                throw ByokyError(.translationNotSupported, "\(requested.displayName) requests cannot be translated")
            }
            let outbound = try ChatTranslator.translateRequest(
                body.readableBytesView,
                path: path,
                from: sourceFamily,
                to: target,
                model: model,
                requestID: inputs.requestID ?? TranslationRequestID.next()
            )
            translation = outbound
            path = outbound.path
            body = ByteBuffer(bytes: outbound.body)
        case .direct:
            break
        }
        // A group's model stands in for the app's only where a request generates or counts with
        // it: an embeddings or image request keeps the app's own.
        let pinnedModel =
            route.model == nil || translation != nil
                || GroupModelScope.covers(path: request.path, family: requested.family) ? route.model : nil
        if let model = pinnedModel, translation == nil {
            if requested.family == .gemini {
                path = ProxyEngine.replacingGeminiModel(in: path, with: model)
            } else if let patched = JSONPatch.settingTopLevelString(
                "model",
                to: model,
                in: Array(body.readableBytesView)
            ) {
                body = ByteBuffer(bytes: patched)
            }
        }
        return RequestPlan(
            source: .credential(route.credential),
            requested: requested,
            target: target,
            kind: route.kind,
            pathAndQuery: path,
            body: body,
            translation: translation,
            model: pinnedModel ?? appModel
        )
    }

    /// A routed app's model request: answered by the wallet in the app's format with the route's
    /// model; or, on a route to a provider of the same family with no model of its own, sent to
    /// that provider's own list (whose answer is already in the app's format).
    private static func modelListPlan(
        _ asked: ModelListing.Request,
        family: APIFamily,
        route: Route,
        requested: Provider,
        target: Provider
    ) -> RequestPlan {
        // Only a list of the family's own kind (not, say, Ollama's `/api/tags`) goes as it is.
        var pathAndQuery = ""
        var localAnswer: [UInt8]?
        if route.model == nil, route.kind == .swap, let list = target.modelList?.path,
            list.split(separator: "?")[0].hasSuffix("/models")
        {
            switch asked {
            case .list: pathAndQuery = list
            case .model(let id):
                let parts = list.split(separator: "?", maxSplits: 1)
                pathAndQuery = parts[0] + "/" + id + (parts.count > 1 ? "?" + parts[1] : "")
            }
        } else {
            let models = route.model.map { [$0] } ?? []
            localAnswer = ModelListing.answer(asked, models: models, owner: target.id, family: family)
        }
        return RequestPlan(
            source: .credential(route.credential),
            requested: requested,
            target: target,
            kind: route.kind,
            pathAndQuery: pathAndQuery,
            body: ByteBuffer(),
            translation: nil,
            model: route.model,
            localAnswer: localAnswer
        )
    }
}
