/// How a credential authenticates to its provider.
public enum AuthMethod: String, Sendable, Hashable, Codable, CaseIterable {
    /// A plain API key.
    case apiKey = "api_key"
    /// An OAuth access token; for Anthropic this includes long-lived setup tokens (`sk-ant-oat01-…`).
    case oauth
}
