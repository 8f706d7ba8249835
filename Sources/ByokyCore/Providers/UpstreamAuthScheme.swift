/// Where and how the wallet puts a credential on an upstream request.
public enum UpstreamAuthScheme: Sendable, Hashable {
    /// `x-api-key: <key>` (Anthropic API keys).
    case xAPIKey
    /// `authorization: Bearer <key>`.
    case bearer
    /// `authorization: Bearer <key>`, only when the key is not empty (local servers need none).
    case optionalBearer
    /// `x-goog-api-key: <key>` (Gemini; never the `?key=` query parameter).
    case googleAPIKey
    /// `api-key: <key>` (Azure OpenAI).
    case azureAPIKey

    /// The lower-case header name the key goes in.
    public var headerName: String {
        switch self {
        case .xAPIKey: "x-api-key"
        case .bearer, .optionalBearer: "authorization"
        case .googleAPIKey: "x-goog-api-key"
        case .azureAPIKey: "api-key"
        }
    }

    /// The header value for `key`, or `nil` when no header should be sent.
    public func headerValue(for key: String) -> String? {
        switch self {
        case .xAPIKey, .googleAPIKey, .azureAPIKey: key
        case .bearer: "Bearer \(key)"
        case .optionalBearer: key.isEmpty ? nil : "Bearer \(key)"
        }
    }

    /// Reads the caller's key back out of the header value, e.g. strips `Bearer `.
    ///
    /// The bridge uses this to find the session key an app's stock SDK put in this header.
    public func credential(fromHeaderValue value: String) -> String? {
        switch self {
        case .xAPIKey, .googleAPIKey, .azureAPIKey:
            return value.isEmpty ? nil : value
        case .bearer, .optionalBearer:
            let parts = value.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else { return nil }
            return String(parts[1])
        }
    }
}
