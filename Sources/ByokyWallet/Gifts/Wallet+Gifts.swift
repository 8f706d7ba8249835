public import ByokyCore
public import ByokyStore

extension Wallet {
    /// The relay gifts use unless the giver names another.
    public static let defaultGiftRelayURL = "wss://relay.byoky.com"
    /// The largest budget a gift may carry (the original's limit).
    public static let maximumGiftBudget = 100_000_000
    /// The longest a gift may last (the original's limit): 90 days, in milliseconds.
    public static let maximumGiftLifetime: Int64 = 90 * 24 * 3_600_000
    /// How long an ended gift's room is still held, so receivers hear why it ended (revoked or
    /// expired) rather than "offline".
    public static let endedGiftLingering: Int64 = 7 * 24 * 3_600_000

    // MARK: Giving

    /// Creates a gift of `budget` tokens on the credential `key` (label or id), valid for
    /// `lifetime` milliseconds, and returns it with its shareable link.
    ///
    /// The link names a version 2 room derived from a fresh sender key and carries a fresh public
    /// key; neither the sender key nor the credential ever leaves the wallet.
    ///
    /// - Throws: ``ByokyError`` `NOT_FOUND` (no such key), `INVALID_REQUEST` (budget, lifetime,
    ///   label), `INVALID_URL` (relay neither `wss:` nor loopback `ws:`), `WALLET_LOCKED`.
    public func createGift(
        key: String,
        budget: Int,
        lifetime: Int64,
        relayURL: String = Wallet.defaultGiftRelayURL,
        label: String? = nil
    ) async throws -> (gift: GiftRecord, link: GiftLink) {
        let dataKey = try requireDataKey()
        guard let credential = try await store.credential(idOrLabel: key) else {
            throw ByokyError(.notFound, "No key named \"\(key)\" — see `byoky key list`")
        }
        guard (1...Self.maximumGiftBudget).contains(budget) else {
            throw ByokyError(.invalidRequest, "A gift's budget must be 1 to \(Self.maximumGiftBudget) tokens")
        }
        guard lifetime > 0, lifetime <= Self.maximumGiftLifetime else {
            throw ByokyError(.invalidRequest, "A gift must expire within 90 days (e.g. --expires 7d)")
        }
        guard ProviderURLPolicy.isAllowedRelayURL(relayURL) else {
            throw ByokyError(.invalidURL, "The relay must be a wss:// URL (ws:// only on this machine)")
        }
        let senderLabel = label ?? "A byoky friend"
        guard !senderLabel.isEmpty, senderLabel.count <= 200 else {
            throw ByokyError(.invalidRequest, "A gift's label must be 1 to 200 characters")
        }
        let id = SecureRandom.uuid()
        let senderKey = SecureRandom.base64URLToken(byteCount: 32)
        let token = SecureRandom.giftToken()
        let keys = RelaySealing.generateKeyPair()
        func seal(_ text: String, _ field: String) throws -> String {
            Base64.encode(
                try SecretBox.seal(Array(text.utf8), using: dataKey, authenticating: Self.giftData(id, field))
            )
        }
        let created = now()
        let gift = GiftRecord(
            id: id,
            credentialID: credential.id,
            provider: credential.provider,
            label: senderLabel,
            relayURL: relayURL,
            roomID: RelaySealing.roomID(senderKey: senderKey),
            sealedSenderKey: try seal(senderKey, "sender-key"),
            sealedToken: try seal(token, "token"),
            sealedPrivateKey: try seal(keys.privateKey, "private-key"),
            publicKey: keys.publicKey,
            maxTokens: budget,
            expiresAt: created + lifetime,
            createdAt: created
        )
        try await store.insert(gift)
        return (gift, try link(for: gift))
    }

    /// Every gift given, newest first.
    public func gifts() async throws -> [GiftRecord] {
        try await store.gifts()
    }

    /// Every gift given as listings show it; `online` (the gifts whose relay rooms a running
    /// daemon holds) fills in ``GiftSummary/online``.
    public func giftSummaries(online: Set<String>? = nil) async throws -> [GiftSummary] {
        try await gifts().map { GiftSummary($0, now: now(), online: online) }
    }

    /// The gift given whose id is or starts with `idPrefix`.
    ///
    /// - Throws: ``ByokyError`` `NOT_FOUND`, or `INVALID_REQUEST` when the prefix is ambiguous.
    public func gift(_ idPrefix: String) async throws -> GiftRecord {
        try Self.unique(try await store.gifts(idPrefix: idPrefix), prefix: idPrefix, listing: "byoky gift list")
    }

    /// Revokes a gift: its giver stops serving it at once and receivers get `GIFT_REVOKED`.
    @discardableResult
    public func revokeGift(_ idPrefix: String) async throws -> GiftRecord {
        var gift = try await gift(idPrefix)
        if gift.revokedAt == nil {
            gift.revokedAt = now()
            try await store.revokeGift(id: gift.id, at: gift.revokedAt!)
        }
        return gift
    }

    /// The shareable link of a gift (needs the wallet unlocked: the token is sealed).
    public func link(for gift: GiftRecord) throws -> GiftLink {
        GiftLink(
            giftID: gift.id,
            provider: gift.provider,
            senderLabel: gift.label,
            authToken: try openGiftSecret(gift.sealedToken, id: gift.id, field: "token"),
            maxTokens: gift.maxTokens,
            expiresAt: gift.expiresAt,
            relayURL: gift.relayURL,
            roomID: gift.roomID,
            publicKey: gift.publicKey
        )
    }

    /// What the giver's relay host needs to serve a gift: the room's sender key, the recipients'
    /// token and the private key requests are sealed to.
    public func hostingSecrets(
        of gift: GiftRecord
    ) throws -> (senderKey: SecretString, token: SecretString, privateKey: SecretString) {
        (
            SecretString(try openGiftSecret(gift.sealedSenderKey, id: gift.id, field: "sender-key")),
            SecretString(try openGiftSecret(gift.sealedToken, id: gift.id, field: "token")),
            SecretString(try openGiftSecret(gift.sealedPrivateKey, id: gift.id, field: "private-key"))
        )
    }

    /// Records the tokens a gift has used (the giver's side is the one that counts).
    public func recordGiftUsage(id: String, usedTokens: Int) async throws {
        try await store.setGiftUsage(id: id, usedTokens: usedTokens)
    }

    // MARK: Receiving

    /// Stores a gift link (any accepted form); its token is sealed like a key.
    ///
    /// - Throws: ``ByokyError`` `INVALID_REQUEST` with the link's problem (expired, malformed, not
    ///   a byoky gift, redeemed already), `WALLET_LOCKED`.
    @discardableResult
    public func redeemGift(link text: String) async throws -> ReceivedGiftRecord {
        let dataKey = try requireDataKey()
        guard let link = GiftLink.decode(text.trimmingASCIIWhitespace()) else {
            throw ByokyError(.invalidRequest, "That is not a byoky gift link — copy it again from the giver")
        }
        if case .invalid(let reason) = link.validate(nowMilliseconds: now(), requireKnownProvider: true) {
            throw ByokyError(.invalidRequest, "This gift link cannot be used: \(reason)")
        }
        guard let giftID = link.giftID, giftID.utf8.count <= 128, let provider = link.provider,
            let token = link.authToken, token.utf8.count <= 1024, let relayURL = link.relayURL,
            let maxTokens = link.maxTokens, let expiresAt = link.expiresAt
        else { throw ByokyError(.invalidRequest, "This gift link is incomplete") }
        guard try await store.receivedGifts(idPrefix: giftID).allSatisfy({ $0.id != giftID }) else {
            throw ByokyError(.invalidRequest, "Gift already redeemed — see `byoky gift received`")
        }
        let gift = ReceivedGiftRecord(
            id: giftID,
            provider: ProviderID(provider),
            senderLabel: String((link.senderLabel ?? "unknown").prefix(200)),
            relayURL: relayURL,
            roomID: link.roomID ?? giftID,
            publicKey: link.publicKey,
            sealedToken: Base64.encode(
                try SecretBox.seal(
                    Array(token.utf8),
                    using: dataKey,
                    authenticating: Self.giftData(giftID, "received-token")
                )
            ),
            maxTokens: Int(min(maxTokens, Double(Self.maximumGiftBudget))),
            expiresAt: Int64(expiresAt),
            createdAt: now()
        )
        try await store.insert(gift)
        cache.invalidate()
        return gift
    }

    /// Every gift received.
    public func receivedGifts() async throws -> [ReceivedGiftRecord] {
        try await cache.receivedGifts { [store] in try await store.receivedGifts() }
    }

    /// Every gift received, as listings show it.
    public func receivedGiftSummaries() async throws -> [ReceivedGiftSummary] {
        try await receivedGifts().map { ReceivedGiftSummary($0, now: now()) }
    }

    /// Forgets a received gift (and unpins it from groups).
    @discardableResult
    public func removeReceivedGift(_ idPrefix: String) async throws -> ReceivedGiftRecord {
        let gift = try Self.unique(
            try await store.receivedGifts(idPrefix: idPrefix),
            prefix: idPrefix,
            listing: "byoky gift received"
        )
        try await store.deleteReceivedGift(id: gift.id)
        cache.invalidate()
        return gift
    }

    /// The token of a received gift (for the relay client only).
    public func token(of gift: ReceivedGiftRecord) throws -> SecretString {
        SecretString(try openGiftSecret(gift.sealedToken, id: gift.id, field: "received-token"))
    }

    /// Records what a giver reported about a received gift.
    public func noteReceivedGift(id: String, usedTokens: Int? = nil, endedReason: GiftEndReason? = nil) async {
        try? await store.updateReceivedGift(id: id, usedTokens: usedTokens, endedReason: endedReason)
        cache.invalidate()
    }

    // MARK: Helpers

    func openGiftSecret(_ sealed: String, id: String, field: String) throws -> String {
        let dataKey = try requireDataKey()
        guard let bytes = Base64.decode(sealed),
            let plain = try? SecretBox.open(bytes, using: dataKey, authenticating: Self.giftData(id, field))
        else { throw ByokyError(.decryptFailed, "A stored gift secret could not be decrypted") }
        return String(decoding: plain, as: UTF8.self)
    }

    static func giftData(_ id: String, _ field: String) -> [UInt8] {
        Array("byoky.gift.v1:\(id):\(field)".utf8)
    }

    static func unique<Record: Identifiable>(_ matches: [Record], prefix: String, listing: String) throws -> Record {
        guard !prefix.isEmpty, let first = matches.first else {
            throw ByokyError(.notFound, "No gift \"\(prefix)\" — see `\(listing)`")
        }
        guard matches.count == 1 else {
            throw ByokyError(.invalidRequest, "\"\(prefix)\" matches several gifts — give more of the id")
        }
        return first
    }
}
