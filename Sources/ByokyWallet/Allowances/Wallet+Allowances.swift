public import ByokyCore
public import ByokyStore

extension Wallet {
    /// Caps `app` at `tokens` (input plus output) per `period`, for one provider or all of them.
    public func setAllowance(
        app: String,
        tokens: Int,
        provider: ProviderID? = nil,
        period: AllowancePeriod = .month
    ) async throws {
        guard !app.isEmpty else { throw ByokyError(.invalidRequest, "Name the app") }
        guard tokens >= 0 else { throw ByokyError(.invalidRequest, "A token limit cannot be negative") }
        if let provider, ProviderRegistry.provider(provider) == nil {
            throw ByokyError(.invalidRequest, "Unknown provider \"\(provider.rawValue)\"")
        }
        try await store.setAllowance(
            AllowanceRecord(
                appName: app,
                provider: provider?.rawValue ?? "",
                period: period,
                tokenLimit: tokens
            )
        )
        cache.invalidate()
    }

    /// An app's caps (cached for the request path).
    public func allowances(forApp app: String) async throws -> [AllowanceRecord] {
        try await cache.allowances(forApp: app) { [store] in try await store.allowances(app: app) }
    }

    /// A cap with what has been used of it in the current period.
    public struct AllowanceStatus: Sendable, Codable {
        public let app: String
        public let provider: String?
        public let period: AllowancePeriod
        public let limit: Int
        public let used: Int
    }

    /// Every cap and its use so far.
    public func allowanceStatuses() async throws -> [AllowanceStatus] {
        var result: [AllowanceStatus] = []
        for cap in try await store.allowances() {
            let period = cap.period
            let used = try await store.tokensUsed(
                app: cap.appName,
                provider: cap.provider,
                since: period.windowStart(containing: now())
            )
            result.append(
                AllowanceStatus(
                    app: cap.appName,
                    provider: cap.provider.isEmpty ? nil : cap.provider,
                    period: period,
                    limit: cap.tokenLimit,
                    used: used
                )
            )
        }
        return result
    }

    /// Removes a cap.
    public func removeAllowance(app: String, provider: ProviderID? = nil, period: AllowancePeriod = .month) async throws
    {
        let removed = try await store.removeAllowance(
            app: app,
            provider: provider?.rawValue ?? "",
            period: period
        )
        cache.invalidate()
        guard removed else { throw ByokyError(.notFound, "No such limit — see `byoky limit list`") }
    }
}
