public import ByokyCore

/// An app the owner installed from a marketplace's catalogue. While enabled, connects from its
/// origin are approved without a prompt for the providers it declared, and refused for others.
public struct InstalledAppRecord: Sendable, Hashable, Codable, Identifiable {
    public var slug: String
    public var name: String
    /// Where the app runs (https, or http on loopback for a developer's own machine).
    public var url: String
    /// The origin of ``url``: what the wallet trusts.
    public var origin: String
    /// Comma-separated provider ids the app declared in its manifest.
    public var providers: String
    public var description: String
    public var authorName: String
    /// The catalogue it came from.
    public var marketplaceURL: String
    public var installedAt: Int64
    /// Set while the owner has the app turned off.
    public var disabledAt: Int64?

    public var id: String { slug }

    enum CodingKeys: String, CodingKey {
        case slug, name, url, origin, providers, description
        case authorName = "author_name"
        case marketplaceURL = "marketplace_url"
        case installedAt = "installed_at"
        case disabledAt = "disabled_at"
    }

    public init(
        slug: String,
        name: String,
        url: String,
        origin: String,
        providers: [ProviderID],
        description: String,
        authorName: String,
        marketplaceURL: String,
        installedAt: Int64,
        disabledAt: Int64? = nil
    ) {
        self.slug = slug
        self.name = name
        self.url = url
        self.origin = origin
        self.providers = providers.map(\.rawValue).joined(separator: ",")
        self.description = description
        self.authorName = authorName
        self.marketplaceURL = marketplaceURL
        self.installedAt = installedAt
        self.disabledAt = disabledAt
    }

    /// The providers the app declared.
    public var providerIDs: [ProviderID] { ProviderList.ids(in: providers) }

    /// Whether the owner has it turned on.
    public var isEnabled: Bool { disabledAt == nil }
}
