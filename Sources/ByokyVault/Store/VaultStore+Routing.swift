public import ByokyCore
import ByokyServerStore
import Foundation
import SQLKit

extension VaultStore {
    /// An account's routing (empty, version 0, when never synced).
    public func routing(of userID: String) async throws -> VaultRouting {
        struct Row: Decodable { let document: String }
        let row = try await database.withSQL { sql in
            try await sql.select().column("document").from("vault_routing").where("user_id", .equal, userID)
                .first(decoding: Row.self)
        }
        guard let row else { return VaultRouting() }
        return try JSONDecoder().decode(VaultRouting.self, from: Data(row.document.utf8))
    }

    /// Writes an account's routing if the stored version is still `basedOn` (one statement, so two
    /// devices writing at once cannot both win). - Returns: whether it was written.
    public func writeRouting(_ routing: VaultRouting, of userID: String, basedOn: Int64) async throws -> Bool {
        struct Written: Decodable { let user_id: String }
        let document = String(decoding: try JSONEncoder().encode(routing), as: UTF8.self)
        return try await database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO vault_routing (user_id, document, updated_at)
                VALUES (\(bind: userID), \(bind: document), \(bind: routing.updatedAt))
                ON CONFLICT (user_id) DO UPDATE SET document = excluded.document, updated_at = excluded.updated_at
                WHERE vault_routing.updated_at = \(bind: basedOn)
                RETURNING user_id
                """
            ).all(decoding: Written.self)
        }.isEmpty == false
    }
}
