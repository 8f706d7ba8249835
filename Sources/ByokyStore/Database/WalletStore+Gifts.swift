import SQLiteKit

extension WalletStore {
    // MARK: Gifts given

    /// Adds a gift.
    public func insert(_ gift: GiftRecord) async throws {
        try await database.insert(into: "gifts").model(gift).run()
    }

    /// Every gift given, newest first.
    public func gifts() async throws -> [GiftRecord] {
        try await database.raw("SELECT * FROM gifts ORDER BY created_at DESC, rowid DESC").all(
            decoding: GiftRecord.self
        )
    }

    /// The gifts given whose id starts with `prefix`.
    public func gifts(idPrefix prefix: String) async throws -> [GiftRecord] {
        try await database.raw("SELECT * FROM gifts WHERE substr(id, 1, \(bind: prefix.count)) = \(bind: prefix)")
            .all(decoding: GiftRecord.self)
    }

    /// Records the tokens a gift has used.
    public func setGiftUsage(id: String, usedTokens: Int) async throws {
        try await database.raw(
            "UPDATE gifts SET used_tokens = MAX(used_tokens, \(bind: usedTokens)) WHERE id = \(bind: id)"
        ).run()
    }

    /// Records whether the vault serves a gift while this wallet is offline.
    public func setGiftServedByVault(id: String, _ served: Bool) async throws {
        try await database.raw(
            "UPDATE gifts SET served_by_vault = \(bind: served ? 1 : 0) WHERE id = \(bind: id)"
        ).run()
    }

    /// Marks a gift revoked (kept, so `gift list` still shows what it used).
    public func revokeGift(id: String, at time: Int64) async throws {
        try await database.raw(
            "UPDATE gifts SET revoked_at = \(bind: time) WHERE id = \(bind: id) AND revoked_at IS NULL"
        ).run()
    }

    // MARK: Gifts received

    /// Adds a received gift. - Throws: when it was redeemed already.
    public func insert(_ gift: ReceivedGiftRecord) async throws {
        try await database.insert(into: "received_gifts").model(gift).run()
    }

    /// Writes a received gift's record whole, replacing the stored one.
    public func replace(_ gift: ReceivedGiftRecord) async throws {
        try await database.raw("DELETE FROM received_gifts WHERE id = \(bind: gift.id)").run()
        try await insert(gift)
    }

    /// Every gift received, oldest first.
    public func receivedGifts() async throws -> [ReceivedGiftRecord] {
        try await database.raw("SELECT * FROM received_gifts ORDER BY created_at, rowid").all(
            decoding: ReceivedGiftRecord.self
        )
    }

    /// The received gifts whose id starts with `prefix`.
    public func receivedGifts(idPrefix prefix: String) async throws -> [ReceivedGiftRecord] {
        try await database.raw(
            "SELECT * FROM received_gifts WHERE substr(id, 1, \(bind: prefix.count)) = \(bind: prefix)"
        ).all(decoding: ReceivedGiftRecord.self)
    }

    /// Records what the giver reported: tokens used, and why the gift ended if it did.
    public func updateReceivedGift(id: String, usedTokens: Int? = nil, endedReason: GiftEndReason? = nil) async throws {
        if let usedTokens {
            try await database.raw(
                "UPDATE received_gifts SET used_tokens = MAX(used_tokens, \(bind: usedTokens)) WHERE id = \(bind: id)"
            ).run()
        }
        if let endedReason {
            try await database.raw(
                "UPDATE received_gifts SET ended_reason = \(bind: endedReason.rawValue) WHERE id = \(bind: id)"
            ).run()
        }
    }

    /// Removes a received gift and any group pin to it.
    public func deleteReceivedGift(id: String) async throws {
        try await database.raw("UPDATE groups SET gift_id = NULL WHERE gift_id = \(bind: id)").run()
        try await database.raw("DELETE FROM received_gifts WHERE id = \(bind: id)").run()
    }
}
