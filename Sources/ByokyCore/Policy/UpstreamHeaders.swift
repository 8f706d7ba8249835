/// Builds the headers of an upstream provider request: an allow-list of the app's headers plus
/// the real credential, which is injected here and nowhere else.
///
/// Everything not on ``forwardedRequestHeaders`` is dropped (the app's own `authorization`,
/// `x-api-key`, cookies, `host`, `content-length`, `origin`, `x-stainless-*`, …), as is any value
/// containing CR, LF or NUL. Names come out lower-cased.
public enum UpstreamHeaders {
    /// The only request headers an app may pass through to the provider.
    ///
    /// The `x-goog-upload-*` names are Google's resumable upload protocol, which Gemini's Files API
    /// takes (the official SDK's `files.upload` starts every upload with them): without them a
    /// start is no upload, and the SDK gets no upload URL.
    public static let forwardedRequestHeaders: Set<String> = [
        "content-type", "accept", "anthropic-version", "anthropic-beta", "anthropic-dangerous-direct-browser-access",
        "x-app", "user-agent", "x-client-name", "openai-organization", "openai-project", "openai-beta",
        "x-goog-api-client", "x-goog-upload-protocol", "x-goog-upload-command", "x-goog-upload-header-content-length",
        "x-goog-upload-header-content-type", "x-goog-upload-offset",
    ]

    /// The longest header value forwarded; longer values are dropped.
    public static let maximumValueLength = 8192

    /// The Anthropic API version sent when the app names none.
    public static let defaultAnthropicVersion = "2023-06-01"

    /// The `user-agent` that Anthropic requires with setup tokens (Claude Code's).
    public static let claudeCodeUserAgent = "claude-cli/2.1.76"

    /// Betas added to every request made with an Anthropic OAuth or setup token.
    public static let anthropicOAuthBetas = [
        "claude-code-20250219", "oauth-2025-04-20", "fine-grained-tool-streaming-2025-05-14",
        "interleaved-thinking-2025-05-14",
    ]

    /// Betas removed from `anthropic-beta` because they change billing without the owner's say.
    public static let anthropicBlockedBetas: Set<String> = ["context-1m-2025-08-07"]

    /// The headers for an upstream request to `provider`, in the order the app sent them, then
    /// the ones the wallet adds.
    ///
    /// - Parameters:
    ///   - provider: The provider the request goes to.
    ///   - clientHeaders: The app's headers, in any case, repeated names allowed (joined with `,`).
    ///   - credential: The key or token to inject.
    ///   - authMethod: Whether `credential` is an API key or an OAuth/setup token.
    /// - Throws: ``ByokyError`` `INVALID_KEY` when the stored credential could not be a header value.
    public static func build(
        for provider: ProviderID,
        clientHeaders: [(name: String, value: String)],
        credential: SecretString,
        authMethod: AuthMethod = .apiKey
    ) throws -> HeaderList {
        guard HeaderText.isSafeValue(credential.exposedValue) else {
            throw ByokyError(.invalidKey, "The stored credential for \(provider.rawValue) is not a valid header value")
        }
        var headers = forwarded(clientHeaders)
        if provider == .anthropic {
            applyAnthropicPolicy(to: &headers, credential: credential, authMethod: authMethod)
        } else {
            let scheme = ProviderRegistry.provider(provider)?.authScheme ?? .bearer
            if let value = scheme.headerValue(for: credential.exposedValue) { headers[scheme.headerName] = value }
        }
        return headers
    }

    /// The app's headers that may travel on (the allow-list; no credential of any kind).
    public static func forwarded(_ clientHeaders: [(name: String, value: String)]) -> HeaderList {
        var headers = HeaderList()
        // Room for what the wallet adds (the key, a version, betas) without growing again.
        headers.reserveCapacity(clientHeaders.count + 3)
        for (name, value) in clientHeaders {
            let lowered = HeaderText.lowercased(name)
            guard isForwarded(lowered), HeaderText.isSafeValue(value),
                value.utf8.count <= maximumValueLength
            else { continue }
            if let existing = headers[lowered] {
                headers[lowered] = existing + "," + value
            } else {
                headers[lowered] = value
            }
        }
        return headers
    }

    /// Whether the lower-case `name` is on ``forwardedRequestHeaders``: its bytes compared with the
    /// listed names of the same length (hashing each name the app sent cost more).
    static func isForwarded(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            guard bytes.count < forwardedByLength.count else { return false }
            return forwardedByLength[bytes.count].contains { $0.elementsEqual(bytes) }
        }
    }

    /// ``forwardedRequestHeaders`` as bytes, indexed by length.
    private static let forwardedByLength: [[[UInt8]]] = {
        var table = [[[UInt8]]](repeating: [], count: (forwardedRequestHeaders.map(\.utf8.count).max() ?? 0) + 1)
        for name in forwardedRequestHeaders { table[name.utf8.count].append(Array(name.utf8)) }
        return table
    }()

    private static func applyAnthropicPolicy(
        to headers: inout HeaderList,
        credential: SecretString,
        authMethod: AuthMethod
    ) {
        let sentBetas = headers["anthropic-beta"]
        var betas = sentBetas.map { splitList($0).filter { !anthropicBlockedBetas.contains($0) } } ?? []
        switch authMethod {
        case .oauth:
            headers["authorization"] = "Bearer \(credential.exposedValue)"
            headers["user-agent"] = claudeCodeUserAgent
            headers["x-app"] = "cli"
            if headers["accept"] == nil { headers["accept"] = "application/json" }
            for beta in anthropicOAuthBetas where !betas.contains(beta) { betas.append(beta) }
        case .apiKey:
            headers["x-api-key"] = credential.exposedValue
        }
        if sentBetas != nil || !betas.isEmpty {
            headers["anthropic-beta"] = betas.isEmpty ? nil : betas.joined(separator: ",")
        }
        if headers["anthropic-version"] == nil { headers["anthropic-version"] = defaultAnthropicVersion }
        headers["anthropic-dangerous-direct-browser-access"] = "true"
    }

    private static func splitList(_ value: String) -> [String] {
        var seen: [String] = []
        for item in value.split(separator: ",") {
            let trimmed = String(item).trimmingASCIIWhitespace()
            if !trimmed.isEmpty, !seen.contains(trimmed) { seen.append(trimmed) }
        }
        return seen
    }
}
