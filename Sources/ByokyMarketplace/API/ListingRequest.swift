import ByokyCore

/// `POST /gifts`: a wallet lists a gift. The link says everything else (id, provider, budget,
/// expiry, relay); fields sent beside it, as older clients do, must agree with it.
public struct ListingRequest: Decodable, Sendable {
    public var giftLink: String
    public var gifterName: String?
    /// Shown as "Anonymous" whatever `gifterName` says.
    public var anonymous: Bool?
    // What older clients send beside the link.
    public var id: String?
    public var providerId: String?
    public var tokenBudget: Int?
    public var expiresAt: Int64?
    public var relayUrl: String?

    /// The longest display name, and the longest gift life the board takes.
    public static let maximumNameLength = 100
    public static let maximumLifetime: Int64 = 90 * 86_400_000

    /// The gift this request lists, or why it cannot be listed.
    public func gift(now: Int64, managementTokenHash: String) throws(MarketplaceError) -> ListedGift {
        guard giftLink.utf8.count <= GiftLink.maximumLength, let link = GiftLink.decode(giftLink) else {
            throw .invalid("giftLink is not a byoky gift link")
        }
        guard link.version == 2, link.roomID != nil, link.publicKey != nil else {
            throw .invalid("Only version 2 gift links can be listed: a version 1 link lets its holder serve the gift")
        }
        if case .invalid(let reason) = link.validate(nowMilliseconds: now, requireKnownProvider: true) {
            throw .invalid("The gift link cannot be used: \(reason)")
        }
        guard let id = link.giftID, id.utf8.count <= 128, let provider = link.provider, let relay = link.relayURL,
            let budget = link.maxTokens, let expiry = link.expiresAt
        else { throw .invalid("The gift link is incomplete") }
        guard budget >= 1, budget <= 100_000_000, budget == budget.rounded() else {
            throw .invalid("The gift's budget must be 1 to 100,000,000 tokens")
        }
        guard Int64(expiry) - now <= Self.maximumLifetime else {
            throw .invalid("The board lists gifts that expire within 90 days")
        }
        if let value = self.id, value != id { throw .invalid("id does not match the gift link") }
        if let value = providerId, value != provider { throw .invalid("providerId does not match the gift link") }
        if let value = tokenBudget, Double(value) != budget {
            throw .invalid("tokenBudget does not match the gift link")
        }
        if let value = expiresAt, Double(value) != expiry { throw .invalid("expiresAt does not match the gift link") }
        if let value = relayUrl, value != relay { throw .invalid("relayUrl does not match the gift link") }
        return ListedGift(
            id: id,
            provider: provider,
            gifterName: anonymous == true ? "Anonymous" : try Self.displayName(gifterName),
            giftLink: GiftLink.url(forEncoded: link.encoded()),
            relayURL: relay,
            tokenBudget: Int(budget),
            tokensUsed: 0,
            expiresAt: Int64(expiry),
            listedAt: now,
            lastSeenAt: now,
            unlisted: false,
            managementTokenHash: managementTokenHash
        )
    }

    /// A display name: trimmed, at most 100 characters, letters, digits, spaces and common
    /// punctuation only (no control or formatting characters); "Anonymous" when empty.
    static func displayName(_ name: String?) throws(MarketplaceError) -> String {
        let trimmed = (name ?? "").trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { return "Anonymous" }
        guard trimmed.count <= maximumNameLength else {
            throw .invalid("gifterName must be at most \(maximumNameLength) characters")
        }
        for scalar in trimmed.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
                throw .invalid("gifterName may not contain control or formatting characters")
            default: continue
            }
        }
        return trimmed
    }
}
