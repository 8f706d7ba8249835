import ByokyCore
import ByokyStore
import NIOCore

extension ProxyEngine {
    /// Sends an app's request through a received gift (already checked by the planner): over the
    /// relay to the giver's wallet, sealed end to end, under the hold on the app's own caps. The app
    /// gets the giver's answer (or the giver's error, in the provider's format) as if it came
    /// from the provider. Its answer's usage is recorded by `metering`.
    func forwardThroughGift(
        _ request: ProxyRequest,
        plan: RequestPlan,
        gift: ReceivedGiftRecord,
        hold: BudgetHold?,
        metering: UsageMetering,
        draft: RequestLogEntryDraft
    ) async throws -> ProxyResponse {
        var draft = draft
        let holder = self.holder
        let answer = try await BudgetHold.sending(holding: hold) {
            let connection = try gifts.connection(for: gift, token: try holder.token(of: gift)) { used in
                Task { await holder.noteReceivedGift(id: gift.id, usedTokens: used, endedReason: nil) }
            }
            return try await connection.perform(
                RelayRequest(
                    requestID: connection.requests.makeRequestID(),
                    provider: request.provider,
                    url: plan.requested.baseURL + plan.pathAndQuery,
                    method: request.method,
                    // The allow-list only: the app's session key stays here.
                    headers: UpstreamHeaders.forwarded(request.headers).dictionary,
                    bodyBytes: Array(plan.body.readableBytesView)
                )
            )
        }
        let headers = answer.head.headers.map { (name: $0.0, value: $0.1) }
        if let code = headers.first(where: { $0.name.lowercased() == ErrorBody.codeHeaderName })?.value,
            let ended = GiftEndReason(code: code)
        {
            await holder.noteReceivedGift(id: gift.id, usedTokens: nil, endedReason: ended)
        }
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value
        draft.status = answer.head.status
        return ProxyResponse(
            status: answer.head.status,
            headers: ResponseHeaderPolicy.filter(headers, bodyIsRewritten: false),
            body: ProxyResponseBody(
                storage: .relayed(
                    answer.body,
                    family: plan.requested.family,
                    isEventStream: ContentType.isEventStream(contentType)
                ),
                completion: RequestCompletion(
                    entry: draft,
                    store: records,
                    provider: request.provider,
                    contentType: contentType,
                    metering: metering,
                    hold: hold
                )
            )
        )
    }

    /// Closes the connections to received gifts' relays.
    public func closeGiftConnections() {
        gifts.shutdown()
    }
}
