import ByokyCore
public import ByokyStore

/// What the owner confirmed: install `slug` from `marketplace`, trusting it with `providers`.
public struct AppInstallRequest: Codable, Sendable, Hashable {
    public var marketplace: String
    public var slug: String
    /// The providers the owner saw and agreed to; the install is refused when the catalogue now
    /// says otherwise (so trust never widens past what was confirmed).
    public var providers: [String]

    public init(marketplace: String, slug: String, providers: [String]) {
        self.marketplace = marketplace
        self.slug = slug
        self.providers = providers
    }
}

extension Wallet {
    /// Fetches the app from its catalogue and installs it, if it still declares what was confirmed.
    ///
    /// - Throws: ``ByokyError`` `NOT_FOUND` (not in the catalogue), `INVALID_REQUEST`,
    ///   `PROXY_ERROR` (the catalogue did not answer).
    @discardableResult
    public func install(_ request: AppInstallRequest) async throws -> InstalledAppRecord {
        let client = try MarketplaceClient(request.marketplace)
        let app = try await client.app(slug: request.slug)
        guard Set(app.providers) == Set(request.providers) else {
            throw ByokyError(
                .invalidRequest,
                "\(TerminalText.printable(app.name)) now asks for \(app.providers.joined(separator: ", ")) — look at it again before installing"
            )
        }
        return try await install(app, from: client.baseURL)
    }
}
