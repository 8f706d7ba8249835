public import ByokyCore
public import ByokyStore

extension Wallet {
    /// Puts a gift on a marketplace's public board under `name` (or "Anonymous"); the token that
    /// manages the listing is sealed like the gift's other secrets.
    ///
    /// - Throws: ``ByokyError``: `NOT_FOUND`, `INVALID_REQUEST` (revoked, listed already, or the
    ///   board's refusal), `INVALID_URL`, `PROXY_ERROR` (the board did not answer), `WALLET_LOCKED`.
    @discardableResult
    public func listGift(
        _ idPrefix: String,
        on marketplace: String,
        name: String?,
        anonymous: Bool
    ) async throws -> GiftListingRecord {
        let client = try MarketplaceClient(marketplace)
        let gift = try await gift(idPrefix)
        guard gift.revokedAt == nil else { throw ByokyError(.invalidRequest, "A revoked gift cannot be listed") }
        guard try await store.giftListing(giftID: gift.id) == nil else {
            throw ByokyError(.invalidRequest, "This gift is listed already — see `byoky gift list`")
        }
        let dataKey = try requireDataKey()
        let (_, token) = try await client.list(link: try link(for: gift).url(), name: name, anonymous: anonymous)
        let listing = GiftListingRecord(
            giftID: gift.id,
            marketplaceURL: client.baseURL,
            sealedManagementToken: Base64.encode(
                try SecretBox.seal(
                    Array(token.utf8),
                    using: dataKey,
                    authenticating: Self.giftData(gift.id, "marketplace-token")
                )
            ),
            displayName: anonymous ? "Anonymous" : (name ?? "Anonymous"),
            listedAt: now()
        )
        try await store.insert(listing)
        return listing
    }

    /// Every listing this wallet made.
    public func giftListings() async throws -> [GiftListingRecord] {
        try await store.giftListings()
    }

    /// The token that manages a listing (for the marketplace reporter only).
    public func managementToken(of listing: GiftListingRecord) throws -> SecretString {
        SecretString(try openGiftSecret(listing.sealedManagementToken, id: listing.giftID, field: "marketplace-token"))
    }

    /// Takes a gift off its board; `false` when it was not listed. A board that does not answer
    /// throws, and the listing stays for another try.
    @discardableResult
    public func unlistGift(_ giftID: String) async throws -> Bool {
        guard let listing = try await store.giftListing(giftID: giftID), listing.unlistedAt == nil else { return false }
        let client = try MarketplaceClient(listing.marketplaceURL)
        do {
            try await client.unlist(giftID, token: try managementToken(of: listing))
        } catch let error as ByokyError where error.code == .notFound {
            // Gone from the board already: nothing left to take off.
        }
        try await store.markUnlisted(giftID: giftID, at: now())
        return true
    }

    /// Notes the usage last reported to the board.
    public func noteReportedUsage(giftID: String, tokens: Int) async throws {
        try await store.setReportedTokens(giftID: giftID, tokens: tokens)
    }
}
