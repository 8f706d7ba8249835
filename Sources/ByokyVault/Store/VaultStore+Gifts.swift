import ByokyServerStore
import SQLKit

extension VaultStore {
    /// Writes a gift for its owner: a new one, or a newer state of one the owner already has. The
    /// used count never goes down and a revocation is never undone (one statement, so the giving
    /// wallet and the vault's own serving can write at once).
    /// - Returns: `false` when the id belongs to another account (nothing is written).
    public func write(_ gift: VaultGift) async throws -> Bool {
        struct Written: Decodable { let id: String }
        return try await database.withSQL { sql in
            try await sql.raw(
                """
                INSERT INTO vault_gifts
                    (id, user_id, provider, label, relay_url, room_id, max_tokens, used_tokens, expires_at,
                        revoked_at, sealed_secrets, created_at, updated_at)
                VALUES (\(bind: gift.id), \(bind: gift.userID), \(bind: gift.provider), \(bind: gift.label),
                    \(bind: gift.relayURL), \(bind: gift.roomID), \(bind: gift.maxTokens), \(bind: gift.usedTokens),
                    \(bind: gift.expiresAt), \(bind: gift.revokedAt), \(bind: gift.sealedSecrets),
                    \(bind: gift.createdAt), \(bind: gift.updatedAt))
                ON CONFLICT (id) DO UPDATE SET
                    provider = excluded.provider, label = excluded.label, relay_url = excluded.relay_url,
                    room_id = excluded.room_id, max_tokens = excluded.max_tokens, expires_at = excluded.expires_at,
                    used_tokens = CASE WHEN excluded.used_tokens > vault_gifts.used_tokens
                        THEN excluded.used_tokens ELSE vault_gifts.used_tokens END,
                    revoked_at = COALESCE(vault_gifts.revoked_at, excluded.revoked_at),
                    sealed_secrets = excluded.sealed_secrets, updated_at = excluded.updated_at
                WHERE vault_gifts.user_id = excluded.user_id
                RETURNING id
                """
            ).all(decoding: Written.self)
        }.isEmpty == false
    }

    public func gift(_ id: String) async throws -> VaultGift? {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_gifts").where("id", .equal, id)
                .first(decoding: VaultGift.self)
        }
    }

    /// An account's gifts, newest first.
    public func gifts(of userID: String) async throws -> [VaultGift] {
        try await database.withSQL { sql in
            try await sql.select().column("*").from("vault_gifts").where("user_id", .equal, userID)
                .orderBy("created_at", .descending).orderBy("id").all(decoding: VaultGift.self)
        }
    }

    /// Every account's gifts that have not ended before `time` (the ones to keep a room for).
    public func giftsNotEnded(before time: Int64) async throws -> [VaultGift] {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT * FROM vault_gifts
                WHERE expires_at > \(bind: time) AND (revoked_at IS NULL OR revoked_at > \(bind: time))
                ORDER BY id
                """
            ).all(decoding: VaultGift.self)
        }
    }

    /// How many of an account's gifts are live (neither revoked nor expired).
    public func liveGifts(of userID: String, now: Int64) async throws -> Int {
        struct Count: Decodable { let count: Int }
        return try await database.withSQL { sql in
            try await sql.raw(
                """
                SELECT COUNT(*) AS count FROM vault_gifts
                WHERE user_id = \(bind: userID) AND expires_at > \(bind: now) AND revoked_at IS NULL
                """
            ).first(decoding: Count.self)?.count ?? 0
        }
    }

    /// Raises a gift's used count to `usedTokens` (a lower number changes nothing).
    public func raiseGiftUsage(id: String, to usedTokens: Int) async throws {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                UPDATE vault_gifts SET used_tokens = \(bind: usedTokens)
                WHERE id = \(bind: id) AND used_tokens < \(bind: usedTokens)
                """
            ).run()
        }
    }

    /// Stops serving an account's gift (forgets it and its secrets); `false` when it has no such gift.
    public func deleteGift(id: String, of userID: String) async throws -> Bool {
        struct Deleted: Decodable { let id: String }
        return try await database.withSQL { sql in
            try await sql.raw(
                "DELETE FROM vault_gifts WHERE id = \(bind: id) AND user_id = \(bind: userID) RETURNING id"
            ).all(decoding: Deleted.self)
        }.isEmpty == false
    }

    /// Forgets every gift that ended before `time` (secrets included).
    public func deleteGifts(endedBefore time: Int64) async throws {
        try await database.withSQL { sql in
            try await sql.raw(
                """
                DELETE FROM vault_gifts
                WHERE expires_at <= \(bind: time) OR (revoked_at IS NOT NULL AND revoked_at <= \(bind: time))
                """
            ).run()
        }
    }
}
