/// One upstream provider: where it lives, how it authenticates and which dialect it speaks.
///
/// Its facts are kept in one shared, immutable box: a request looks providers up and hands them
/// on several times, and copying ten fields (each string and array retained) cost more than the
/// rest of a look-up.
public struct Provider: Sendable, Hashable, Identifiable {
    private struct Facts: Sendable, Hashable {
        let id: ProviderID
        let displayName: String
        let family: APIFamily?
        let baseURL: String
        let chatPathOverride: String?
        let authMethods: [AuthMethod]
        let authScheme: UpstreamAuthScheme
        let requiresCustomBaseURL: Bool
        let isLocal: Bool
        let modelList: ModelListEndpoint?
    }

    private final class Box: Sendable {
        let facts: Facts
        init(_ facts: Facts) { self.facts = facts }
    }

    private let box: Box

    /// The registry identifier.
    public var id: ProviderID { box.facts.id }
    /// The name shown to people, e.g. `Google Gemini`.
    public var displayName: String { box.facts.displayName }
    /// The dialect of its chat endpoint; `nil` for providers that are never a routing target.
    public var family: APIFamily? { box.facts.family }
    /// The upstream origin (and base path); a placeholder when ``requiresCustomBaseURL``.
    public var baseURL: String { box.facts.baseURL }
    /// The chat path when it differs from the family's default.
    public var chatPathOverride: String? { box.facts.chatPathOverride }
    /// The authentication methods a credential for this provider may use.
    public var authMethods: [AuthMethod] { box.facts.authMethods }
    /// How an API key goes on the upstream request.
    public var authScheme: UpstreamAuthScheme { box.facts.authScheme }
    /// Whether each credential must carry its own base URL (Azure, Ollama, LM Studio).
    public var requiresCustomBaseURL: Bool { box.facts.requiresCustomBaseURL }
    /// Whether this is a server on the owner's machine, reachable over plain `http` on loopback.
    public var isLocal: Bool { box.facts.isLocal }
    /// How to list its models; `nil` when the provider has no such endpoint.
    public var modelList: ModelListEndpoint? { box.facts.modelList }

    init(
        id: ProviderID,
        displayName: String,
        family: APIFamily?,
        baseURL: String,
        chatPathOverride: String?,
        authMethods: [AuthMethod],
        authScheme: UpstreamAuthScheme,
        requiresCustomBaseURL: Bool,
        isLocal: Bool,
        modelList: ModelListEndpoint?
    ) {
        box = Box(
            Facts(
                id: id,
                displayName: displayName,
                family: family,
                baseURL: baseURL,
                chatPathOverride: chatPathOverride,
                authMethods: authMethods,
                authScheme: authScheme,
                requiresCustomBaseURL: requiresCustomBaseURL,
                isLocal: isLocal,
                modelList: modelList
            )
        )
    }

    public static func == (lhs: Provider, rhs: Provider) -> Bool {
        lhs.box === rhs.box || lhs.box.facts == rhs.box.facts
    }

    public func hash(into hasher: inout Hasher) {
        box.facts.hash(into: &hasher)
    }

    /// The chat path used when the wallet routes a request to this provider.
    ///
    /// For Gemini this is a template containing `{model}`; see ``APIFamily/geminiChatPath(model:streaming:)``.
    public var chatPath: String? {
        chatPathOverride ?? family?.defaultChatPath
    }

    /// Whether requests may be translated to or from this provider.
    public var isTranslatable: Bool { family != nil }
}
