import ByokyCore

/// Where a request written for a provider's real URL goes on the wallet's bridge.
enum BridgeRoute {
    /// The bridge URL for `url` of `provider`, checked against the provider's real address
    /// (providers with a per-credential address accept any absolute URL; the wallet checks it).
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL`.
    static func url(for url: String, provider: ProviderID, bridgeURL: String) throws -> String {
        guard let entry = ProviderRegistry.provider(provider) else {
            throw ByokyError(.invalidURL, "Unknown provider \"\(provider.rawValue)\"")
        }
        if entry.requiresCustomBaseURL {
            guard let parsed = AbsoluteURL(url) else { throw ByokyError(.invalidURL, "Not a valid URL") }
            return "\(bridgeURL)/\(provider.rawValue)\(parsed.pathAndQuery)"
        }
        var relative = try ProviderURLPolicy.validate(url, provider: provider).pathAndQuery
        if let base = AbsoluteURL(entry.baseURL), base.path != "/" {
            relative = String(relative.dropFirst(base.path.count))
        }
        return "\(bridgeURL)/\(provider.rawValue)\(relative)"
    }

    /// Checks that `url` is `provider`'s real address (before it goes to a paired wallet).
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL`.
    static func checkProviderURL(_ url: String, provider: ProviderID) throws {
        _ = try self.url(for: url, provider: provider, bridgeURL: "http://relay")
    }

    /// The header that carries the session key for `provider`, and its value.
    static func authHeader(for provider: ProviderID, sessionKey: String) -> (name: String, value: String) {
        let declared = ProviderRegistry.provider(provider)?.authScheme ?? .bearer
        let scheme = declared == .optionalBearer ? .bearer : declared
        return (scheme.headerName, scheme.headerValue(for: sessionKey) ?? sessionKey)
    }

    /// Auth headers an app may have set for the provider; they never go to the wallet.
    static let appAuthHeaders: Set<String> = ["authorization", "x-api-key", "x-goog-api-key", "api-key"]
}
