import SQLiteKit

extension WalletStore {
    public func insert(_ listing: GiftListingRecord) async throws {
        try await database.insert(into: "gift_listings").model(listing).run()
    }

    /// Every listing, newest first.
    public func giftListings() async throws -> [GiftListingRecord] {
        try await database.select().column("*").from("gift_listings").orderBy("listed_at", .descending)
            .all(decoding: GiftListingRecord.self)
    }

    public func giftListing(giftID: String) async throws -> GiftListingRecord? {
        try await database.select().column("*").from("gift_listings").where("gift_id", .equal, giftID)
            .first(decoding: GiftListingRecord.self)
    }

    public func setReportedTokens(giftID: String, tokens: Int) async throws {
        try await database.update("gift_listings").set("reported_tokens", to: tokens).where("gift_id", .equal, giftID)
            .run()
    }

    public func markUnlisted(giftID: String, at time: Int64) async throws {
        try await database.update("gift_listings").set("unlisted_at", to: time).where("gift_id", .equal, giftID).run()
    }
}
