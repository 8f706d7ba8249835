import SQLiteKit

extension WalletStore {
    /// Installs an app, or replaces the install of the same slug (a newer catalogue entry).
    public func install(_ app: InstalledAppRecord) async throws {
        try await database.raw("DELETE FROM installed_apps WHERE slug = \(bind: app.slug)").run()
        try await database.insert(into: "installed_apps").model(app).run()
    }

    /// Every installed app, by name.
    public func installedApps() async throws -> [InstalledAppRecord] {
        try await database.raw("SELECT * FROM installed_apps ORDER BY name, slug").all(
            decoding: InstalledAppRecord.self
        )
    }

    /// The installed app with this slug.
    public func installedApp(slug: String) async throws -> InstalledAppRecord? {
        try await database.raw("SELECT * FROM installed_apps WHERE slug = \(bind: slug)").first(
            decoding: InstalledAppRecord.self
        )
    }

    /// The installed app served from `origin`.
    public func installedApp(origin: String) async throws -> InstalledAppRecord? {
        try await database.raw("SELECT * FROM installed_apps WHERE origin = \(bind: origin)").first(
            decoding: InstalledAppRecord.self
        )
    }

    /// Turns an app off (`disabledAt` set) or on (`nil`).
    public func setInstalledApp(slug: String, disabledAt: Int64?) async throws {
        try await database.raw(
            "UPDATE installed_apps SET disabled_at = \(bind: disabledAt) WHERE slug = \(bind: slug)"
        ).run()
    }

    /// Removes an installed app.
    public func uninstallApp(slug: String) async throws {
        try await database.raw("DELETE FROM installed_apps WHERE slug = \(bind: slug)").run()
    }

    /// Revokes every live session bound to `origin`; returns how many there were.
    public func revokeSessions(origin: String, at time: Int64) async throws -> Int {
        struct Row: Decodable { let count: Int }
        let active =
            try await database.raw(
                "SELECT COUNT(*) AS count FROM sessions WHERE app_origin = \(bind: origin) AND revoked_at IS NULL AND expires_at > \(bind: time)"
            ).first(decoding: Row.self)?.count ?? 0
        try await database.raw(
            "UPDATE sessions SET revoked_at = \(bind: time) WHERE app_origin = \(bind: origin) AND revoked_at IS NULL"
        ).run()
        return active
    }
}
