import SQLiteKit

extension WalletStore {
    /// Replaces every group, app assignment and cap at once (routing pulled from a vault), in one
    /// transaction: requests never see half of the old routing and half of the new.
    ///
    /// - Parameter assignments: (app, group id) pairs.
    public func replaceRouting(
        groups: [GroupRecord],
        assignments: [(app: String, group: String)],
        allowances: [AllowanceRecord]
    ) async throws {
        try await database.raw("BEGIN IMMEDIATE").run()
        do {
            try await database.raw("DELETE FROM app_groups").run()
            try await database.raw("DELETE FROM groups").run()
            try await database.raw("DELETE FROM allowances").run()
            for group in groups { try await database.insert(into: "groups").model(group).run() }
            for (app, group) in assignments {
                try await database.raw(
                    "INSERT INTO app_groups (app_name, group_id) VALUES (\(bind: app), \(bind: group))"
                ).run()
            }
            for allowance in allowances { try await database.insert(into: "allowances").model(allowance).run() }
            try await database.raw("COMMIT").run()
        } catch {
            try? await database.raw("ROLLBACK").run()
            throw error
        }
    }
}
