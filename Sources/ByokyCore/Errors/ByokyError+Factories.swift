extension ByokyError {
    /// No wallet answered; `hint` says what to run.
    public static func walletNotInstalled(
        hint: String = "byoky wallet is not running — start it with `byoky serve`"
    ) -> ByokyError {
        ByokyError(.walletNotInstalled, hint)
    }

    /// The owner denied the connection request.
    public static func userRejected() -> ByokyError {
        ByokyError(.userRejected, "User rejected the connection request")
    }

    /// The wallet cannot serve `provider` for this session.
    public static func providerUnavailable(_ provider: ProviderID) -> ByokyError {
        ByokyError(
            .providerUnavailable,
            "Provider \"\(provider.rawValue)\" is not available",
            details: ["providerId": provider.rawValue]
        )
    }

    /// The session is past its expiry.
    public static func sessionExpired() -> ByokyError {
        ByokyError(.sessionExpired, "Session has expired — please reconnect")
    }

    /// A rate limit was hit; `retryAfter` is in seconds.
    public static func rateLimited(retryAfter: Int? = nil) -> ByokyError {
        var message = "Rate limit exceeded"
        var details: [String: String] = [:]
        if let retryAfter, retryAfter > 0 {
            message += " — retry after \(retryAfter)s"
            details["retryAfter"] = String(retryAfter)
        }
        return ByokyError(.rateLimited, message, details: details)
    }

    /// The provider reports the account is out of quota.
    public static func quotaExceeded(_ provider: ProviderID) -> ByokyError {
        ByokyError(
            .quotaExceeded,
            "Quota exceeded for \(provider.rawValue) — check your billing",
            details: ["providerId": provider.rawValue]
        )
    }

    /// The provider rejected the stored key.
    public static func invalidKey(_ provider: ProviderID) -> ByokyError {
        ByokyError(.invalidKey, "Invalid API key for \(provider.rawValue)", details: ["providerId": provider.rawValue])
    }

    /// An OAuth token needs the owner to sign in again.
    public static func tokenExpired(_ provider: ProviderID) -> ByokyError {
        ByokyError(
            .tokenExpired,
            "OAuth token expired for \(provider.rawValue) — re-authentication required",
            details: ["providerId": provider.rawValue]
        )
    }

    /// The relay could not be reached; `reason` is a short, secret-free explanation.
    public static func relayConnectionFailed(_ reason: String? = nil) -> ByokyError {
        ByokyError(.relayConnectionFailed, reason.map { "Relay connection failed: \($0)" } ?? "Relay connection failed")
    }

    /// The relay connection closed.
    public static func relayDisconnected() -> ByokyError {
        ByokyError(.relayDisconnected, "Relay connection was closed")
    }

    /// A body, frame or field is larger than `limit` bytes.
    public static func payloadTooLarge(_ what: String, limit: Int) -> ByokyError {
        ByokyError(
            .payloadTooLarge,
            "\(what) is larger than the limit of \(limit) bytes",
            details: ["limit": String(limit)]
        )
    }

    /// The feature is not built yet; `feature` names it for the reader.
    public static func notImplemented(_ feature: String) -> ByokyError {
        ByokyError(.notImplemented, "\(feature) is not available yet in this version of byoky")
    }
}
