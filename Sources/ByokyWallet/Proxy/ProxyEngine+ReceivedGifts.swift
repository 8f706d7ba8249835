import ByokyCore
import ByokyStore
import NIOCore

extension ProxyEngine {
    /// Sends an app's request through a received gift: over the relay to the giver's wallet,
    /// sealed end to end, with the owner's own allowances for the app still applying. The app
    /// gets the giver's answer (or the giver's error, in the provider's format) as if it came
    /// from the provider.
    func forwardThroughGift(
        _ request: ProxyRequest,
        gift: ReceivedGiftRecord,
        session: SessionRecord,
        draft: inout RequestLogEntryDraft
    ) async throws -> ProxyResponse {
        let family = ProviderRegistry.provider(request.provider)?.family
        if let reason = gift.endedReason {
            throw reason == ByokyError.Code.giftRevoked.rawValue
                ? ByokyError(.giftRevoked, "The giver revoked this gift")
                : ByokyError(.giftExpired, "This gift has expired")
        }
        guard !GiftBudget.isExpired(expiresAt: gift.expiresAt, now: wallet.now()) else {
            throw ByokyError(.giftExpired, "This gift has expired")
        }
        guard let provider = ProviderRegistry.provider(request.provider), !provider.requiresCustomBaseURL else {
            throw ByokyError.providerUnavailable(request.provider)
        }
        let reservation = try await allowances.reserve(
            app: session.appName,
            provider: request.provider,
            estimate: TokenEstimate.worstCase(for: request, model: draft.model),
            caps: try await wallet.allowances(forApp: session.appName),
            store: wallet.store,
            now: wallet.now()
        )
        let wallet = self.wallet
        let connection = try gifts.connection(for: gift, token: try wallet.token(of: gift)) { used in
            Task { await wallet.noteReceivedGift(id: gift.id, usedTokens: used) }
        }
        let relayed = RelayRequest(
            requestID: connection.requests.makeRequestID(),
            provider: request.provider,
            url: provider.baseURL + Self.removingKeyParameter(from: request.pathAndQuery, provider: request.provider),
            method: request.method,
            // The allow-list only: the app's session key stays here.
            headers: UpstreamHeaders.forwarded(request.headers),
            bodyBytes: Array(request.body.readableBytesView)
        )
        let answer: RelayRequestBook.Answer
        do {
            answer = try await connection.perform(relayed)
        } catch {
            if let reservation { allowances.settle(reservation, tokens: 0) }
            throw error
        }
        let headers = answer.head.headers.map { (name: $0.0, value: $0.1) }
        if let code = headers.first(where: { $0.name.lowercased() == ErrorBody.codeHeaderName })?.value,
            [ByokyError.Code.giftExpired.rawValue, ByokyError.Code.giftRevoked.rawValue].contains(code)
        {
            await wallet.noteReceivedGift(id: gift.id, endedReason: code)
        }
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value
        draft.status = answer.head.status
        let gate = allowances
        var responseHeaders = ResponseHeaderPolicy.filter(headers, bodyIsRewritten: false)
        if let origin = session.appOrigin {
            responseHeaders.append((name: "access-control-allow-origin", value: origin))
            responseHeaders.append((name: "vary", value: "origin"))
        }
        return ProxyResponse(
            status: answer.head.status,
            headers: responseHeaders,
            body: ProxyResponseBody(
                storage: .relayed(
                    answer.body,
                    family: family,
                    isEventStream: ContentType.isEventStream(contentType)
                ),
                completion: RequestCompletion(
                    entry: draft,
                    store: wallet.store,
                    provider: request.provider,
                    contentType: contentType,
                    settle: { usage, status in
                        guard let reservation else { return }
                        gate.settle(reservation, tokens: status < 400 ? usage?.totalTokens ?? reservation.amount : 0)
                    }
                )
            )
        )
    }

    /// Closes the connections to received gifts' relays.
    public func closeGiftConnections() {
        gifts.shutdown()
    }
}
