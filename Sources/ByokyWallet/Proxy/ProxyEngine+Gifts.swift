import ByokyCore
public import ByokyStore
import NIOCore
import NIOHTTP1

extension ProxyEngine {
    /// The giver's side of a gift: serves one request that arrived through the relay with the
    /// gift's own credential (no routing, no translation), within its expiry and budget.
    ///
    /// The giver enforces everything here, so a receiver that changes its own wallet gains
    /// nothing. Failures come back as responses in the provider's error format: `GIFT_REVOKED` or
    /// `GIFT_EXPIRED` (410), `GIFT_BUDGET_EXHAUSTED` (429), `PROVIDER_UNAVAILABLE` (403, also for
    /// an endpoint a gift does not serve: ``GiftEndpoints``).
    ///
    /// - Parameter onSettled: hears the gift's new total of used tokens once the answer has ended.
    public func serveGift(
        _ request: ProxyRequest,
        gift: GiftRecord,
        onSettled: @escaping @Sendable (Int) -> Void
    ) async -> ProxyResponse {
        let family = ProviderRegistry.provider(request.provider)?.family
        var draft = logDraft(for: request, appName: "gift \(gift.id.prefix(8)) (\(gift.label))")
        do {
            try request.checkPath()
            guard gift.revokedAt == nil else { throw ByokyError(.giftRevoked, "The giver revoked this gift") }
            guard !GiftBudget.isExpired(expiresAt: gift.expiresAt, now: holder.now()) else {
                throw ByokyError(.giftExpired, "This gift has expired")
            }
            guard request.provider == gift.provider, let target = ProviderRegistry.provider(request.provider),
                let credential = try await holder.credentials().first(where: { $0.id == gift.credentialID })
            else { throw ByokyError.providerUnavailable(request.provider) }
            guard GiftEndpoints.serves(method: request.method, pathAndQuery: request.pathAndQuery, of: target) else {
                throw GiftEndpoints.refusal
            }
            guard request.body.readableBytes <= configuration.maximumRequestBodySize else {
                throw ByokyError.payloadTooLarge("Request body", limit: configuration.maximumRequestBodySize)
            }
            // A request that spends no tokens (a model list, a token count) holds none of the
            // budget and is charged none of it.
            let spendsNoTokens = CostlessRequest.matches(
                method: request.method,
                path: Substring(request.path),
                family: family,
                provider: target.id
            )
            let hold =
                spendsNoTokens
                ? nil
                : try giftLedger.hold(
                    gift,
                    estimate: TokenEstimate.worstCase(for: request, model: draft.model, servedBy: target.id),
                    onSettled: onSettled
                )
            let pathAndQuery = Self.removingKeyParameter(from: request.pathAndQuery, provider: request.provider)
            // A request that names no output limit may be sent with what the gift has left.
            let body =
                try hold?.fitting(request.body, provider: target.id, family: family, pathAndQuery: pathAndQuery)
                ?? request.body
            let (response, addedStreamUsage) = try await send(
                request,
                to: target,
                pathAndQuery: pathAndQuery,
                body: body,
                clientHeaders: request.headers,
                credential: credential,
                hold: hold
            )
            draft.status = response.status
            return Self.passedThrough(
                response,
                family: family,
                dropsUsageOnlyChunk: addedStreamUsage,
                completion: RequestCompletion(
                    entry: draft,
                    store: records,
                    provider: request.provider,
                    contentType: response.headers.first(name: "content-type"),
                    metering: spendsNoTokens ? .never : .always,
                    hold: hold
                )
            ).noting(outputLimit: hold)
        } catch {
            let failure = (error as? ByokyError) ?? ByokyError(.internalError, "The wallet could not serve the request")
            draft.status = failure.httpStatus
            draft.errorCode = failure.code.rawValue
            return Self.errorResponse(
                failure,
                family: family,
                completion: RequestCompletion(
                    entry: draft,
                    store: records,
                    provider: request.provider,
                    contentType: nil
                )
            )
        }
    }
}
