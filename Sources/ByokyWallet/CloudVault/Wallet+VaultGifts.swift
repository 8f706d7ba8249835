import ByokyCore
public import ByokyStore

extension Wallet {
    /// Has this wallet's vault serve a gift while this wallet is offline: uploads the gift's key
    /// and room secrets (sealed there under the vault operator's gift key). The vault then holds
    /// the gift's relay room as a fallback sender: the relay sends it requests only while no wallet
    /// holds the room, and both count the one budget (each tells the other its total).
    ///
    /// The owner must know what this gives away: the vault's operator can use the key behind
    /// this gift (within what the vault does for the gift: its budget and expiry).
    ///
    /// - Throws: ``ByokyError`` `UNAUTHORIZED` (not logged in to a vault), `NOT_FOUND` (no such
    ///   gift, or its key was removed), `INVALID_REQUEST` (the gift has ended, or the vault serves
    ///   no gifts), `WALLET_LOCKED`.
    @discardableResult
    public func serveGiftFromVault(_ idPrefix: String) async throws -> GiftRecord {
        let gift = try await gift(idPrefix)
        guard gift.revokedAt == nil, !GiftBudget.isExpired(expiresAt: gift.expiresAt, now: now()) else {
            throw ByokyError(.invalidRequest, "This gift has ended: there is nothing for the vault to serve")
        }
        let (login, client) = try savedVaultLogin()
        let item = try await client.putGift(
            try await vaultUpload(of: gift, withSecrets: true),
            id: gift.id,
            token: SecretString(login.token)
        )
        try await store.setGiftServedByVault(id: gift.id, true)
        try await store.setGiftUsage(id: gift.id, usedTokens: item.usedTokens)
        return try await self.gift(gift.id)
    }

    /// Stops the vault serving a gift (it forgets the gift's secrets); the count it kept is
    /// brought here first.
    /// - Throws: ``ByokyError`` `UNAUTHORIZED` (not logged in to a vault), `NOT_FOUND`, or the
    ///   vault's refusal.
    @discardableResult
    public func stopServingGiftFromVault(_ idPrefix: String) async throws -> GiftRecord {
        let gift = try await gift(idPrefix)
        let (login, client) = try savedVaultLogin()
        let token = SecretString(login.token)
        if let served = try await client.gifts(token: token).first(where: { $0.id == gift.id }) {
            try await store.setGiftUsage(id: gift.id, usedTokens: served.usedTokens)
            try await client.removeGift(id: gift.id, token: token)
        }
        try await store.setGiftServedByVault(id: gift.id, false)
        return try await self.gift(gift.id)
    }

    /// Brings every gift the vault serves up to date both ways: the vault hears this wallet's
    /// count and revocations, this wallet takes the vault's count (the larger wins on each side).
    /// Gifts ended long ago are let go (the vault forgets them by itself).
    /// - Returns: the ids of the gifts brought up to date.
    @discardableResult
    public func syncServedGifts() async throws -> [String] {
        let served = try await gifts().filter(\.servedByVault)
        guard !served.isEmpty else { return [] }
        let (login, client) = try savedVaultLogin()
        var synced: [String] = []
        for gift in served {
            if min(gift.revokedAt ?? .max, gift.expiresAt) <= now() - Self.endedGiftLingering {
                try await store.setGiftServedByVault(id: gift.id, false)
                continue
            }
            try await syncServedGift(gift, client: client, token: SecretString(login.token))
            synced.append(gift.id)
        }
        return synced
    }

    /// ``syncServedGifts()`` for one gift (after revoking it, say).
    public func syncServedGift(_ gift: GiftRecord) async throws {
        let (login, client) = try savedVaultLogin()
        try await syncServedGift(gift, client: client, token: SecretString(login.token))
    }

    private func syncServedGift(_ gift: GiftRecord, client: VaultClient, token: SecretString) async throws {
        let item = try await client.putGift(
            try await vaultUpload(of: gift, withSecrets: false),
            id: gift.id,
            token: token
        )
        try await store.setGiftUsage(id: gift.id, usedTokens: item.usedTokens)
    }

    /// What the vault is told about a gift; the key and room secrets only when `withSecrets`.
    private func vaultUpload(of gift: GiftRecord, withSecrets: Bool) async throws -> VaultGiftUpload {
        var secrets: VaultGiftUpload.Secrets?
        if withSecrets {
            guard let credential = try await credentials().first(where: { $0.id == gift.credentialID }) else {
                throw ByokyError(.notFound, "The key this gift spends was removed: the vault cannot serve it")
            }
            let hosting = try hostingSecrets(of: gift)
            secrets = VaultGiftUpload.Secrets(
                apiKey: try secret(of: credential).exposedValue,
                authMethod: credential.authMethod.rawValue,
                baseUrl: credential.baseURL,
                senderKey: hosting.senderKey.exposedValue,
                authToken: hosting.token.exposedValue,
                privateKey: hosting.privateKey.exposedValue
            )
        }
        return VaultGiftUpload(
            provider: gift.provider.rawValue,
            label: gift.label,
            relayUrl: gift.relayURL,
            roomId: gift.roomID,
            maxTokens: gift.maxTokens,
            usedTokens: gift.usedTokens,
            expiresAt: gift.expiresAt,
            revokedAt: gift.revokedAt,
            secrets: secrets
        )
    }
}
