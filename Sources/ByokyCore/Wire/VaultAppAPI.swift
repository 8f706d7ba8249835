/// `POST /connect` on a vault, under a login: an app asks for a session for `providers`.
///
/// A browser's `Origin` header binds the session to that origin (and must equal `appOrigin` when
/// both are given); a program's session (no `Origin`) answers no web page. `appName` is the name
/// the owner's routing and limits know the app by (defaults to `appOrigin`).
public struct VaultConnectRequest: Codable, Sendable, Hashable {
    public var providers: [ProviderRequirement]
    public var appOrigin: String?
    public var appName: String?

    public init(providers: [ProviderRequirement], appOrigin: String? = nil, appName: String? = nil) {
        self.providers = providers
        self.appOrigin = appOrigin
        self.appName = appName
    }
}

/// An app session as the owner's listing shows it (`GET /apps`; never its key).
public struct VaultAppSessionItem: Codable, Sendable, Hashable {
    public let id: String
    public let appName: String
    /// The origin the session is bound to; `nil` for a program's session.
    public let appOrigin: String?
    public let providers: [String]
    public let createdAt: Int64
    public let expiresAt: Int64

    public init(
        id: String,
        appName: String,
        appOrigin: String?,
        providers: [String],
        createdAt: Int64,
        expiresAt: Int64
    ) {
        self.id = id
        self.appName = appName
        self.appOrigin = appOrigin
        self.providers = providers
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The owner's routing as a vault keeps it (`GET`/`PUT /routing`): groups, which app is in which,
/// and token caps. It is synced as one document, last write wins: a `PUT` names the version it was
/// based on (`basedOn`), and is refused as a conflict when another device wrote since.
public struct VaultRouting: Codable, Sendable, Hashable {
    public struct Group: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        public var provider: String
        /// The pinned key (its id, as synced keys keep their ids).
        public var credentialId: String?
        public var model: String?

        public init(id: String, name: String, provider: String, credentialId: String?, model: String?) {
            self.id = id
            self.name = name
            self.provider = provider
            self.credentialId = credentialId
            self.model = model
        }
    }

    public struct Assignment: Codable, Sendable, Hashable {
        public var app: String
        /// The group's id.
        public var group: String

        public init(app: String, group: String) {
            self.app = app
            self.group = group
        }
    }

    public struct Limit: Codable, Sendable, Hashable {
        public var app: String
        /// Empty for all providers together.
        public var provider: String
        /// `day`, `month` or `lifetime` (UTC calendar periods).
        public var period: String
        public var tokens: Int

        public init(app: String, provider: String, period: String, tokens: Int) {
            self.app = app
            self.provider = provider
            self.period = period
            self.tokens = tokens
        }
    }

    public var groups: [Group]
    public var assignments: [Assignment]
    public var limits: [Limit]
    /// When this version was written (Unix ms, the vault's clock); 0 for an account never synced.
    public var updatedAt: Int64

    public init(groups: [Group] = [], assignments: [Assignment] = [], limits: [Limit] = [], updatedAt: Int64 = 0) {
        self.groups = groups
        self.assignments = assignments
        self.limits = limits
        self.updatedAt = updatedAt
    }
}

/// `PUT /routing`: the new routing, and the version (`updatedAt`) the writer last saw.
public struct VaultRoutingWrite: Codable, Sendable, Hashable {
    public var routing: VaultRouting
    public var basedOn: Int64

    public init(routing: VaultRouting, basedOn: Int64) {
        self.routing = routing
        self.basedOn = basedOn
    }
}
