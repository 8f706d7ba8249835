/// One upstream provider: where it lives, how it authenticates and which dialect it speaks.
public struct Provider: Sendable, Hashable, Identifiable {
    /// The registry identifier.
    public let id: ProviderID
    /// The name shown to people, e.g. `Google Gemini`.
    public let displayName: String
    /// The dialect of its chat endpoint; `nil` for providers that are never a routing target.
    public let family: APIFamily?
    /// The upstream origin (and base path); a placeholder when ``requiresCustomBaseURL``.
    public let baseURL: String
    /// The chat path when it differs from the family's default.
    public let chatPathOverride: String?
    /// The authentication methods a credential for this provider may use.
    public let authMethods: [AuthMethod]
    /// How an API key goes on the upstream request.
    public let authScheme: UpstreamAuthScheme
    /// Whether each credential must carry its own base URL (Azure, Ollama, LM Studio).
    public let requiresCustomBaseURL: Bool
    /// Whether this is a server on the owner's machine, reachable over plain `http` on loopback.
    public let isLocal: Bool
    /// How to list its models; `nil` when the provider has no such endpoint.
    public let modelList: ModelListEndpoint?

    /// The chat path used when the wallet routes a request to this provider.
    ///
    /// For Gemini this is a template containing `{model}`; see ``APIFamily/geminiChatPath(model:streaming:)``.
    public var chatPath: String? {
        chatPathOverride ?? family?.defaultChatPath
    }

    /// Whether requests may be translated to or from this provider.
    public var isTranslatable: Bool { family != nil }
}
