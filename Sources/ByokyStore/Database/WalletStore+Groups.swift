import SQLiteKit

extension WalletStore {
    /// Adds a group. - Throws: when the name is taken.
    public func insert(_ group: GroupRecord) async throws {
        try await database.insert(into: "groups").model(group).run()
    }

    /// Every group, by name.
    public func groups() async throws -> [GroupRecord] {
        try await database.raw("SELECT * FROM groups ORDER BY name").all(decoding: GroupRecord.self)
    }

    /// The group with this id or name.
    public func group(idOrName: String) async throws -> GroupRecord? {
        try await database.raw("SELECT * FROM groups WHERE id = \(bind: idOrName) OR name = \(bind: idOrName) LIMIT 1")
            .first(decoding: GroupRecord.self)
    }

    /// Deletes a group (its app assignments go with it).
    public func deleteGroup(id: String) async throws {
        try await database.raw("DELETE FROM app_groups WHERE group_id = \(bind: id)").run()
        try await database.raw("DELETE FROM groups WHERE id = \(bind: id)").run()
    }

    /// Puts an app in a group (replacing any earlier assignment).
    public func assign(app: String, toGroup id: String) async throws {
        try await database.raw(
            "INSERT INTO app_groups (app_name, group_id) VALUES (\(bind: app), \(bind: id)) ON CONFLICT(app_name) DO UPDATE SET group_id = excluded.group_id"
        ).run()
    }

    /// Takes an app out of its group; returns whether it was in one.
    public func unassign(app: String) async throws -> Bool {
        let had = try await group(forApp: app) != nil
        try await database.raw("DELETE FROM app_groups WHERE app_name = \(bind: app)").run()
        return had
    }

    /// The group an app is in.
    public func group(forApp app: String) async throws -> GroupRecord? {
        try await database.raw(
            "SELECT groups.* FROM groups JOIN app_groups ON app_groups.group_id = groups.id WHERE app_groups.app_name = \(bind: app)"
        ).first(decoding: GroupRecord.self)
    }

    /// Every app assignment, as (app, group name).
    public func assignments() async throws -> [(app: String, group: String)] {
        struct Row: Decodable {
            let app_name: String
            let name: String
        }
        return try await database.raw(
            "SELECT app_groups.app_name, groups.name FROM app_groups JOIN groups ON groups.id = app_groups.group_id ORDER BY app_groups.app_name"
        ).all(decoding: Row.self).map { ($0.app_name, $0.name) }
    }
}
