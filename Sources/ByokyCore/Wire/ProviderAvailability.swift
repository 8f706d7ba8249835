/// What a session may use of one provider, as reported to the app.
public struct ProviderAvailability: Sendable, Hashable, Codable {
    /// Whether requests for this provider will be served.
    public var available: Bool
    /// How the wallet authenticates upstream for it (`api_key` or `oauth`).
    public var authMethod: AuthMethod
    /// `true` when the provider is served through a received gift.
    public var gift: Bool?

    public init(available: Bool, authMethod: AuthMethod, gift: Bool? = nil) {
        self.available = available
        self.authMethod = authMethod
        self.gift = gift
    }
}
