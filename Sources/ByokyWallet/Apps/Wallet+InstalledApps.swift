public import ByokyCore
public import ByokyStore

extension Wallet {
    /// Installs an app from a catalogue: its origin is then trusted for the providers it declared.
    ///
    /// The origin is worked out here from the app's address (not taken from the catalogue's
    /// answer), which must be https, or http on loopback (an app a developer runs on this machine).
    ///
    /// - Throws: ``ByokyError`` `INVALID_REQUEST` for an entry that is not safe to trust.
    @discardableResult
    public func install(_ app: CatalogueApp, from marketplaceURL: String) async throws -> InstalledAppRecord {
        guard let address = AbsoluteURL(app.url),
            address.scheme == "https" || (address.scheme == "http" && address.isLoopbackHost)
        else {
            throw ByokyError(.invalidRequest, "An installed app must be served over https")
        }
        guard app.slug.count <= 40, app.slug.wholeMatch(of: /[a-z0-9]+(-[a-z0-9]+)*/) != nil else {
            throw ByokyError(.invalidRequest, "The catalogue sent an app with an invalid slug")
        }
        let name = TerminalText.printable(app.name)
        guard !name.isEmpty, name.count <= 100 else {
            throw ByokyError(.invalidRequest, "The catalogue sent an app without a usable name")
        }
        let providers = app.providers.map { ProviderID($0) }
        guard !providers.isEmpty, providers.allSatisfy({ ProviderRegistry.provider($0) != nil }) else {
            throw ByokyError(.invalidRequest, "The app declares a provider this wallet does not know")
        }
        if let other = try await store.installedApp(origin: address.origin), other.slug != app.slug {
            throw ByokyError(.invalidRequest, "\(other.name) is installed from the same origin already")
        }
        let record = InstalledAppRecord(
            slug: app.slug,
            name: name,
            url: address.description,
            origin: address.origin,
            providers: providers,
            description: TerminalText.printable(String(app.description.prefix(500))),
            authorName: TerminalText.printable(String(app.authorName.prefix(100))),
            marketplaceURL: marketplaceURL,
            installedAt: now()
        )
        try await store.install(record)
        return record
    }

    /// Every installed app, by name.
    public func installedApps() async throws -> [InstalledAppRecord] {
        try await store.installedApps()
    }

    /// The installed app with `slug`. - Throws: ``ByokyError`` `NOT_FOUND`.
    public func installedApp(_ slug: String) async throws -> InstalledAppRecord {
        guard let app = try await store.installedApp(slug: slug) else {
            throw ByokyError(.notFound, "No installed app \"\(TerminalText.printable(slug))\" — see `byoky apps list`")
        }
        return app
    }

    /// Turns an installed app on or off. Turning it off suspends the trust and revokes its sessions
    /// at once; turning it on trusts it again (its apps connect again).
    @discardableResult
    public func setInstalledApp(_ slug: String, enabled: Bool) async throws -> InstalledAppRecord {
        var app = try await installedApp(slug)
        app.disabledAt = enabled ? nil : (app.disabledAt ?? now())
        try await store.setInstalledApp(slug: slug, disabledAt: app.disabledAt)
        if !enabled { try await revokeSessions(of: app) }
        return app
    }

    /// Uninstalls an app: its trust goes, and so do its sessions. Returns how many were live.
    @discardableResult
    public func uninstallApp(_ slug: String) async throws -> Int {
        let app = try await installedApp(slug)
        try await store.uninstallApp(slug: slug)
        return try await revokeSessions(of: app)
    }

    @discardableResult
    private func revokeSessions(of app: InstalledAppRecord) async throws -> Int {
        let revoked = try await store.revokeSessions(origin: app.origin, at: now())
        cache.invalidate()
        return revoked
    }

    /// Answers a connect request from an enabled installed app's origin without the owner: the
    /// declared providers it asks for are granted, the others refused. `nil` when the origin is not
    /// an enabled installed app (the owner is asked as usual).
    public func approveIfTrusted(_ approval: PendingApproval, bridgeURL: String) async throws -> ConnectStatus? {
        guard let origin = approval.app.origin, let app = try await store.installedApp(origin: origin), app.isEnabled
        else { return nil }
        return try await approveTrusted(app, approval: approval, bridgeURL: bridgeURL)
    }

    /// A session for an installed app hosted in the wallet's page (the page asks on its behalf).
    ///
    /// - Throws: ``ByokyError`` `NOT_FOUND`, or `USER_REJECTED` when the app is turned off.
    public func connectInstalledApp(
        _ slug: String,
        providers: [ProviderRequirement],
        bridgeURL: String
    ) async throws -> ConnectStatus {
        let app = try await installedApp(slug)
        guard app.isEnabled else { throw ByokyError(.userRejected, "\(app.name) is turned off in this wallet") }
        guard !providers.isEmpty, providers.count <= 20 else {
            throw ByokyError(.invalidRequest, "Ask for 1 to 20 providers")
        }
        let approval = PendingApproval(
            id: SecureRandom.hexToken(byteCount: 16),
            app: AppIdentity(name: app.name, origin: app.origin),
            providers: providers,
            createdAt: now(),
            expiresAt: now()
        )
        return try await approveTrusted(app, approval: approval, bridgeURL: bridgeURL)
    }

    private func approveTrusted(
        _ app: InstalledAppRecord,
        approval: PendingApproval,
        bridgeURL: String
    ) async throws -> ConnectStatus {
        let declared = Set(app.providerIDs)
        func refused(_ message: String) -> ConnectStatus {
            ConnectStatus(
                requestId: approval.id,
                status: .denied,
                error: WireError(code: ByokyError.Code.providerUnavailable.rawValue, message: message)
            )
        }
        if let undeclared = approval.providers.first(where: { $0.required && !declared.contains($0.id) }) {
            return refused(
                "\(undeclared.id.rawValue) is not among the providers \(app.name) was installed with"
            )
        }
        let granted = approval.providers.map(\.id).filter(declared.contains)
        guard !granted.isEmpty else {
            return refused("\(app.name) was installed for \(app.providers.replacing(",", with: ", ")) only")
        }
        // The name shown for its sessions is the installed one: the origin vouches for it.
        let trusted = PendingApproval(
            id: approval.id,
            app: AppIdentity(name: app.name, origin: app.origin),
            providers: approval.providers.filter { declared.contains($0.id) },
            createdAt: approval.createdAt,
            expiresAt: approval.expiresAt
        )
        return try await approve(trusted, providers: granted, bridgeURL: bridgeURL)
    }
}
