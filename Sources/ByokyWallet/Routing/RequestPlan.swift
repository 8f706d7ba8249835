public import ByokyCore
public import ByokyStore
public import ByokyTranslate
public import NIOCore

/// Everything decided about one app request before anything is sent: which key or received gift
/// serves it, at which provider, under which path, with which body, and how many tokens to hold
/// against the app's caps. Made by ``RequestPlanner``, without I/O.
public struct RequestPlan: Sendable {
    /// What serves the request.
    public enum Source: Sendable {
        /// One of the owner's keys.
        case credential(CredentialRecord)
        /// A gift the owner received: the giver's wallet serves it through the relay.
        case receivedGift(ReceivedGiftRecord)
    }

    public let source: Source
    /// The provider the app addressed.
    public let requested: Provider
    /// The provider that answers (the requested one, or the route's target).
    public let target: Provider
    /// How the route reaches the target (`direct` for a gift).
    public let kind: Route.Kind
    /// The path and query to send, under the target's base URL (the session key's `key` parameter removed).
    public let pathAndQuery: String
    /// The body to send (the app's, with the group's model set, or a translation; with the
    /// output limit a budget's hold was fitted to: ``fittingOutput(to:)``).
    public private(set) var body: ByteBuffer
    /// The translation of request and answer, for a cross-family route.
    public var translation: ChatTranslator.OutboundRequest? { translationBox?.value }
    /// The model the audit log records.
    public let model: String?
    /// A JSON answer the wallet gives itself, with nothing sent (a routed app's model list,
    /// ``ModelListing``); `nil` for a request that goes to the provider.
    public let localAnswer: [UInt8]?

    /// The translation, held by reference: inline it made a plan 790 bytes, which every
    /// asynchronous frame holding a plan reserved whether or not the route translates.
    private let translationBox: TranslationBox?

    private final class TranslationBox: Sendable {
        let value: ChatTranslator.OutboundRequest

        init(_ value: ChatTranslator.OutboundRequest) {
            self.value = value
        }
    }

    init(
        source: Source,
        requested: Provider,
        target: Provider,
        kind: Route.Kind,
        pathAndQuery: String,
        body: ByteBuffer,
        translation: ChatTranslator.OutboundRequest?,
        model: String?,
        localAnswer: [UInt8]? = nil
    ) {
        self.source = source
        self.requested = requested
        self.target = target
        self.kind = kind
        self.pathAndQuery = pathAndQuery
        self.body = body
        translationBox = translation.map(TranslationBox.init)
        self.model = model
        self.localAnswer = localAnswer
    }

    /// The worst case in tokens for `request` (estimated input plus the output it allows itself),
    /// worked out only when a budget applies.
    func estimate(for request: ProxyRequest) -> TokenEstimate {
        TokenEstimate.worstCase(for: request, model: model, servedBy: target.id)
    }

    /// The plan with its body sent with the output limit `hold` was fitted to, if any
    /// (``BudgetHold/fitting(_:provider:family:pathAndQuery:)``), written as the target reads it.
    func fittingOutput(to hold: BudgetHold) throws -> RequestPlan {
        var fitted = self
        fitted.body = try hold.fitting(body, provider: target.id, family: target.family, pathAndQuery: pathAndQuery)
        return fitted
    }
}
