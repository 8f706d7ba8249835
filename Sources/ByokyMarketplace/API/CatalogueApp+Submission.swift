import ByokyCore

extension CatalogueApp {
    /// The catalogue's card of an approved submission (`nil` if its manifest no longer reads).
    init?(_ app: SubmittedApp) {
        guard let manifest = app.manifest, let origin = manifest.origin, let icon = manifest.iconURL else { return nil }
        self.init(
            id: app.id,
            slug: app.slug,
            name: manifest.name,
            url: manifest.url,
            origin: origin,
            iconURL: icon,
            description: manifest.description,
            category: manifest.category,
            providers: manifest.providers,
            authorName: manifest.author.name,
            authorWebsite: manifest.author.website,
            approvedAt: app.approvedAt ?? app.updatedAt
        )
    }
}
