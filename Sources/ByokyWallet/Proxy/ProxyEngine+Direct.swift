import ByokyCore
import ByokyStore
import NIOCore

extension ProxyEngine {
    /// Runs `makeAnswer` in the app connection's task and writes the answer it makes there, as the
    /// answer to a request the engine could not finish on the event loop (``startDirectly``).
    public typealias AnswerFallback = @Sendable (_ makeAnswer: @escaping @Sendable () async -> ProxyResponse) -> Void

    /// Starts `request` for the app holding `sessionKey` from the app connection's event loop,
    /// with no task of its own, when everything it needs is at hand there: the session and its
    /// records fresh in the holder's cache, one of the owner's keys serving it in the family the
    /// app speaks (no translation, no received gift), no cap to reserve against, and the event
    /// loop one of the engine's client (its provider connections are made and pooled on it). The
    /// request goes through the same checks, plan and header policy as ``handle(_:sessionKey:)``.
    ///
    /// The provider's answer is then written from its connection's read by the request's
    /// ``ProxyRequest/wholeAnswerWriter`` and recorded at once, when it is whole and small. Any
    /// other outcome (an event stream, a long or unframed answer, an answer not written, a
    /// failure) is handed to `fallback`, which makes the answer in the connection's task as
    /// ``handle(_:sessionKey:)`` would have made it after sending.
    ///
    /// - Parameter memo: the connection's memo of its last session key's hash.
    /// - Returns: whether the request was sent; when not, nothing was sent or recorded, and the
    ///   caller answers it with ``handle(_:sessionKey:)``.
    public func startDirectly(
        _ request: ProxyRequest,
        sessionKey: String?,
        memo: SessionKeyMemo?,
        fallback: @escaping AnswerFallback
    ) -> Bool {
        // Whatever is refused here is refused again, with its answer, by `handle`.
        guard let writer = request.wholeAnswerWriter, let sessionKey, !sessionKey.isEmpty,
            (try? request.checkPath()) != nil,
            let records = try? holder.cachedPlanningRecords(sessionKey: sessionKey, memo: memo),
            (try? Self.checkOrigin(of: request, against: records.session)) != nil,
            AllowanceGate.caps(records.allowances, counting: request.provider).isEmpty
        else { return false }
        var draft = logDraft(for: request, appName: records.session.appName)
        draft.sessionID = records.session.id
        guard let plan = try? RequestPlanner.plan(request, inputs: planningInputs(records, appModel: draft.model)),
            plan.translation == nil, case .credential(let credential) = plan.source,
            let base = try? state.baseURLs.baseURL(for: plan.target, credentialBaseURL: credential.baseURL),
            let secret = try? holder.secret(of: credential),
            let call = try? UpstreamCall(
                method: request.method,
                url: base.origin + Self.trimmedPath(of: base) + plan.pathAndQuery,
                base: base,
                target: plan.target,
                clientHeaders: request.headers,
                authMethod: credential.authMethod,
                secret: secret,
                body: plan.body,
                addsStreamUsage: true,
                baseURLs: state.baseURLs
            )
        else { return false }
        draft.actualProvider = plan.target.id
        draft.model = plan.model
        let answer = DirectAnswer(
            engine: self,
            request: request,
            draft: draft,
            plan: plan,
            addedStreamUsage: call.addedStreamUsage,
            allowedOrigin: records.session.appOrigin,
            early: EarlyAnswer(writer: writer, allowedOrigin: records.session.appOrigin, records: self.records),
            fallback: fallback
        )
        let isSent =
            (try? httpClient.start(
                method: call.method,
                url: call.url,
                headers: call.headers,
                body: call.body,
                headTimeout: configuration.headTimeout,
                onWhole: answer,
                head: answer.receive
            )) == true
        guard isSent else { return false }
        state.noteDirectStart()
        noteUse(of: credential)
        return true
    }
}
