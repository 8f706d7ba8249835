/// Decides whether a URL may receive a provider credential: the guard against key exfiltration.
///
/// Every check parses the URL (``AbsoluteURL``); nothing is prefix-matched on text. A URL passes
/// when it has the origin of the provider's base URL (or of the credential's own base URL), lies
/// under that base's path, and uses `https`. Plain `http` is allowed only to a loopback host
/// (`localhost`, `127.0.0.1`, `::1`) and only when the base that names it is a local provider's
/// (Ollama, LM Studio) or a base URL the owner set on the credential (self-hosted gateways, test
/// upstreams). A cloud provider's registry base is always `https`.
public enum ProviderURLPolicy {
    /// Validates `url` for `provider`.
    ///
    /// - Parameters:
    ///   - url: The absolute URL the request would go to.
    ///   - provider: The provider whose credential would be attached.
    ///   - credentialBaseURL: The credential's own base URL, if it has one.
    /// - Returns: The parsed URL.
    /// - Throws: ``ByokyError`` with code `INVALID_URL` and a reason.
    @discardableResult
    public static func validate(
        _ url: String,
        provider providerID: ProviderID,
        credentialBaseURL: String? = nil
    ) throws -> AbsoluteURL {
        guard let provider = ProviderRegistry.provider(providerID) else {
            throw ByokyError(.invalidURL, "Unknown provider \"\(providerID.rawValue)\"")
        }
        return try validate(
            url,
            under: try baseURL(for: provider, credentialBaseURL: credentialBaseURL),
            provider: provider
        )
    }

    /// Checks that `url` stays on `base`'s origin and under its path (for a base already checked
    /// with ``baseURL(for:credentialBaseURL:)``).
    public static func validate(_ url: String, under base: AbsoluteURL, provider: Provider) throws -> AbsoluteURL {
        guard let target = AbsoluteURL(url) else {
            throw ByokyError(.invalidURL, pathRefusal(in: url) ?? "The request URL is not a valid absolute URL")
        }
        guard target.origin == base.origin else {
            throw ByokyError(.invalidURL, "The request URL is not on \(provider.displayName)'s origin \(base.origin)")
        }
        let basePath = base.path.hasSuffix("/") ? String(base.path.dropLast()) : base.path
        guard basePath.isEmpty || target.path == basePath || target.path.hasPrefix(basePath + "/") else {
            throw ByokyError(.invalidURL, "The request URL is outside \(provider.displayName)'s base path \(basePath)")
        }
        return target
    }

    /// Why the path of the URL `text` is refused (``PathSegmentPolicy``), if that is why it does not parse.
    static func pathRefusal(in text: String) -> String? {
        let bytes = Array(text.utf8)
        guard let schemeEnd = bytes.firstRange(of: Array("://".utf8))?.upperBound else { return nil }
        guard let pathStart = bytes[schemeEnd...].firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let tail = bytes[pathStart...]
        let path = tail.prefix { $0 != UInt8(ascii: "?") && $0 != UInt8(ascii: "#") }
        return PathSegmentPolicy.refusal(of: path)
    }

    /// The parsed base URL requests for `provider` must stay under.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` when a required credential base URL is missing, or a
    ///   base URL is malformed or uses a scheme this policy forbids for it.
    public static func baseURL(for provider: Provider, credentialBaseURL: String?) throws -> AbsoluteURL {
        let isOwnerSet = credentialBaseURL != nil
        if provider.requiresCustomBaseURL && credentialBaseURL == nil {
            throw ByokyError(.invalidURL, "\(provider.displayName) needs a base URL on its credential")
        }
        let text = credentialBaseURL ?? provider.baseURL
        guard let base = AbsoluteURL(text), base.query == nil else {
            throw ByokyError(.invalidURL, "The base URL for \(provider.displayName) is not a valid absolute URL")
        }
        switch base.scheme {
        case "https":
            return base
        case "http" where base.isLoopbackHost && (provider.isLocal || isOwnerSet):
            return base
        case "http":
            throw ByokyError(
                .invalidURL,
                "Only https is allowed for \(provider.displayName) (http only to localhost)"
            )
        default:
            throw ByokyError(.invalidURL, "Unsupported URL scheme for \(provider.displayName)")
        }
    }

    /// Whether `url` is a relay URL the wallet may connect to: `wss`, or `ws` to a loopback host.
    public static func isAllowedRelayURL(_ url: String) -> Bool {
        isEncryptedOrLoopback(url, encrypted: "wss", plain: "ws")
    }

    /// Whether `url` is a service the wallet may call (a token marketplace): `https`, or `http`
    /// to a loopback host.
    public static func isAllowedServiceURL(_ url: String) -> Bool {
        isEncryptedOrLoopback(url, encrypted: "https", plain: "http")
    }

    /// The one rule behind both: TLS, unless the traffic never leaves this machine.
    private static func isEncryptedOrLoopback(_ url: String, encrypted: String, plain: String) -> Bool {
        guard let parsed = AbsoluteURL(url) else { return false }
        return parsed.scheme == encrypted || (parsed.scheme == plain && parsed.isLoopbackHost)
    }
}
