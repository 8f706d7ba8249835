public import ByokyCore
import ByokyStore

extension Wallet {
    /// What the wallet can serve of each requested provider: available when it holds a key.
    public func availability(
        for providers: [ProviderID],
        app: String? = nil
    ) async throws -> [String: ProviderAvailability] {
        RouteResolver.availability(
            for: providers,
            group: try await app.asyncMap { try await self.group(forApp: $0) } ?? nil,
            credentials: try await store.credentials(),
            gifts: try await receivedGifts(),
            now: now()
        )
    }

    /// Approves a connect request: creates the session and returns the app's answer.
    ///
    /// - Parameters:
    ///   - approval: The request.
    ///   - providers: The subset the owner grants (`nil` grants everything asked for).
    ///   - bridgeURL: The bridge address the app should use.
    /// - Returns: `approved` with the session, or `denied` with `PROVIDER_UNAVAILABLE` when a
    ///   required provider is not granted or has no key, or no granted provider has one.
    public func approve(
        _ approval: PendingApproval,
        providers subset: [ProviderID]? = nil,
        bridgeURL: String
    ) async throws -> ConnectStatus {
        let asked = approval.providers.map(\.id)
        let granted = asked.filter { subset?.contains($0) ?? true }
        let availability = try await availability(for: granted, app: approval.app.name)
        for requirement in approval.providers where requirement.required {
            guard availability[requirement.id.rawValue]?.available == true else {
                return ConnectStatus(
                    requestId: approval.id,
                    status: .denied,
                    error: WireError(ByokyError.providerUnavailable(requirement.id))
                )
            }
        }
        guard granted.contains(where: { availability[$0.rawValue]?.available == true }) else {
            return ConnectStatus(
                requestId: approval.id,
                status: .denied,
                error: WireError(
                    code: ByokyError.Code.providerUnavailable.rawValue,
                    message: "No requested provider is available"
                )
            )
        }
        // The session holds every provider the owner granted, usable now or not: a key added later
        // makes the rest usable (the app hears `providers.updated`) without a new approval.
        let grant = try await createSession(app: approval.app, providers: granted)
        var offered = availability
        for provider in asked where offered[provider.rawValue] == nil {
            offered[provider.rawValue] = ProviderAvailability(available: false, authMethod: .apiKey)
        }
        return ConnectStatus(
            requestId: approval.id,
            status: .approved,
            session: ConnectResponse(
                sessionKey: grant.key.exposedValue,
                proxyUrl: bridgeURL,
                providers: offered,
                expiresAt: grant.record.expiresAt
            )
        )
    }

    /// The session's usage so far, from the audit log.
    public func usage(ofSession id: String) async throws -> SessionUsage {
        let entries = try await store.requestLog(limit: 100_000, sessionID: id)
        var byProvider: [String: SessionUsage.ProviderUsage] = [:]
        for entry in entries {
            var usage =
                byProvider[entry.provider] ?? SessionUsage.ProviderUsage(requests: 0, inputTokens: 0, outputTokens: 0)
            usage.requests += 1
            usage.inputTokens += entry.inputTokens ?? 0
            usage.outputTokens += entry.outputTokens ?? 0
            byProvider[entry.provider] = usage
        }
        return SessionUsage(
            requests: entries.count,
            inputTokens: byProvider.values.reduce(0) { $0 + $1.inputTokens },
            outputTokens: byProvider.values.reduce(0) { $0 + $1.outputTokens },
            byProvider: byProvider
        )
    }
}

extension Optional {
    /// `map` with an async transform.
    fileprivate func asyncMap<Mapped>(_ transform: (Wrapped) async throws -> Mapped) async rethrows -> Mapped? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
