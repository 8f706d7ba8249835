/// Where a submitted app stands in review.
public enum AppReviewState: String, Codable, Sendable, CaseIterable {
    /// Waiting for a reviewer.
    case pending
    /// In the catalogue.
    case approved
    /// Not taken; the reason says why. The submitter may send a new version.
    case rejected
    /// Taken out of the catalogue after approval; the reason says why.
    case suspended
}

/// An approved app as a token marketplace's catalogue shows it (`GET /apps`).
public struct CatalogueApp: Codable, Sendable, Hashable {
    public let id: String
    public let slug: String
    public let name: String
    public let url: String
    /// The origin the wallet trusts when the app is installed.
    public let origin: String
    public let iconURL: String
    public let description: String
    public let category: AppCategory
    public let providers: [String]
    public let authorName: String
    public let authorWebsite: String?
    public let approvedAt: Int64

    public init(
        id: String,
        slug: String,
        name: String,
        url: String,
        origin: String,
        iconURL: String,
        description: String,
        category: AppCategory,
        providers: [String],
        authorName: String,
        authorWebsite: String?,
        approvedAt: Int64
    ) {
        self.id = id
        self.slug = slug
        self.name = name
        self.url = url
        self.origin = origin
        self.iconURL = iconURL
        self.description = description
        self.category = category
        self.providers = providers
        self.authorName = authorName
        self.authorWebsite = authorWebsite
        self.approvedAt = approvedAt
    }
}

/// `GET /apps`: a page of the catalogue.
public struct CatalogueListing: Codable, Sendable, Hashable {
    public let apps: [CatalogueApp]
    public let limit: Int
    public let offset: Int

    public init(apps: [CatalogueApp], limit: Int, offset: Int) {
        self.apps = apps
        self.limit = limit
        self.offset = offset
    }
}

/// A submission's state (`POST /apps`, `GET /apps/submissions/{id}`); `submissionToken` only in
/// the answer to the first submission (shown once: it lets the submitter send new versions).
public struct AppSubmission: Codable, Sendable, Hashable {
    public let id: String
    public let slug: String
    public let state: AppReviewState
    public let reason: String?
    public let submissionToken: String?

    public init(id: String, slug: String, state: AppReviewState, reason: String?, submissionToken: String? = nil) {
        self.id = id
        self.slug = slug
        self.state = state
        self.reason = reason
        self.submissionToken = submissionToken
    }
}

/// A submission as reviewers see it (`GET /admin/apps`): the whole manifest.
public struct ReviewedApp: Codable, Sendable, Hashable {
    public let id: String
    public let state: AppReviewState
    public let reason: String?
    public let manifest: AppManifest
    public let submittedAt: Int64
    public let updatedAt: Int64

    public init(
        id: String,
        state: AppReviewState,
        reason: String?,
        manifest: AppManifest,
        submittedAt: Int64,
        updatedAt: Int64
    ) {
        self.id = id
        self.state = state
        self.reason = reason
        self.manifest = manifest
        self.submittedAt = submittedAt
        self.updatedAt = updatedAt
    }
}
