/// `byoky.app.json`: what an app tells the catalogue and the wallet about itself. The wallet
/// trusts an installed app's origin for exactly `providers`.
public struct AppManifest: Codable, Sendable, Hashable {
    public var name: String
    /// Lower-case letters, digits and dashes: the app's address in the catalogue.
    public var slug: String
    /// Where the app runs (https).
    public var url: String
    /// An https image URL, or a path relative to `url`.
    public var icon: String
    public var description: String
    public var category: AppCategory
    /// Provider ids the app asks for (e.g. `anthropic`); the wallet grants no other.
    public var providers: [String]
    public var author: Author

    public struct Author: Codable, Sendable, Hashable {
        public var name: String
        public var email: String
        public var website: String?

        public init(name: String, email: String, website: String? = nil) {
            self.name = name
            self.email = email
            self.website = website
        }
    }

    /// The manifest's file name in an app's folder.
    public static let fileName = "byoky.app.json"
    /// The largest manifest read (bytes).
    public static let maximumSize = 16 * 1024

    public init(
        name: String,
        slug: String,
        url: String,
        icon: String,
        description: String,
        category: AppCategory,
        providers: [String],
        author: Author
    ) {
        self.name = name
        self.slug = slug
        self.url = url
        self.icon = icon
        self.description = description
        self.category = category
        self.providers = providers
        self.author = author
    }

    /// The app's origin (`https://host[:port]`), when its URL parses.
    public var origin: String? { AbsoluteURL(url)?.origin }

    /// The icon as an absolute URL: itself, or resolved against the app's URL.
    public var iconURL: String? {
        if AbsoluteURL(icon) != nil { return icon }
        guard let base = AbsoluteURL(url) else { return nil }
        let folder = base.path.hasSuffix("/") ? base.path : String(base.path[...(base.path.lastIndex(of: "/")!)])
        return base.origin + folder + icon
    }
}
