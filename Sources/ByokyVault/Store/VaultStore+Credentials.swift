import ByokyServerStore
import SQLKit

extension VaultStore {
    /// Writes a version of a key (or its tombstone) if it is later than the one stored: one
    /// statement, so two devices (or two instances) writing at once keep the later version.
    /// - Returns: whether it was written (`false`: the vault holds a version as late or later, or
    ///   the id belongs to another account).
    public func write(_ credential: VaultCredential) async throws -> Bool {
        struct Written: Decodable { let id: String }
        return try await database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO vault_credentials
                    (id, user_id, provider, label, base_url, sealed_secret, masked_secret, updated_at, deleted_at,
                        auth_method)
                VALUES (\(bind: credential.id), \(bind: credential.userID), \(bind: credential.provider),
                    \(bind: credential.label), \(bind: credential.baseURL), \(bind: credential.sealedSecret),
                    \(bind: credential.maskedSecret), \(bind: credential.updatedAt), \(bind: credential.deletedAt),
                    \(bind: credential.authMethod))
                ON CONFLICT (id) DO UPDATE SET
                    provider = excluded.provider, label = excluded.label, base_url = excluded.base_url,
                    sealed_secret = excluded.sealed_secret, masked_secret = excluded.masked_secret,
                    updated_at = excluded.updated_at, deleted_at = excluded.deleted_at,
                    auth_method = excluded.auth_method
                WHERE vault_credentials.user_id = excluded.user_id
                    AND vault_credentials.updated_at < excluded.updated_at
                RETURNING id
                """
            ).all(decoding: Written.self)
        }.isEmpty == false
    }

    /// An account's keys changed at or after `since` (tombstones included), oldest change first.
    public func credentials(of userID: String, since: Int64 = 0) async throws -> [VaultCredential] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_credentials").where("user_id", .equal, userID)
                .where("updated_at", .greaterThanOrEqual, since).orderBy("updated_at").orderBy("id")
                .all(decoding: VaultCredential.self)
        }
    }

    public func credential(_ id: String, of userID: String) async throws -> VaultCredential? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_credentials").where("id", .equal, id)
                .where("user_id", .equal, userID).first(decoding: VaultCredential.self)
        }
    }
}
