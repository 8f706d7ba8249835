import ByokyCore
import ByokyWallet
import Foundation
import HTTPTypes

/// The gifts an owner asks the vault to serve while the giving wallet is offline: uploaded per
/// gift (`PUT /gifts/{id}`), listed, and turned off (`DELETE /gifts/{id}`). The secrets are sealed
/// under the operator's ``GiftKey``; a vault without one refuses them.
struct VaultGifts: Sendable {
    let accounts: VaultAccounts
    let store: VaultStore
    let configuration: VaultConfiguration
    /// Told after every change, so this instance's relay rooms follow at once.
    let onChange: @Sendable () -> Void

    static let disabled = VaultError(
        status: .serviceUnavailable,
        code: "SERVICE_UNAVAILABLE",
        message: "This vault does not serve gifts: its operator has not given it a gift key (--gift-key-file)"
    )

    func upload(_ upload: VaultGiftUpload, id: String, token: String) async throws -> VaultGiftItem {
        let (_, user) = try await accounts.authenticate(token: token)
        guard let giftKey = configuration.giftKey else { throw Self.disabled }
        try Self.check(id: id)
        let now = configuration.clock()
        let existing = try await store.gift(id)
        if let existing, existing.userID != user.id {
            throw VaultError(status: .conflict, code: "ID_TAKEN", message: "Another account serves a gift with this id")
        }
        try check(upload, isNew: existing == nil, now: now)
        let sealed: String
        if let secrets = upload.secrets {
            try check(secrets, roomID: upload.roomId)
            sealed = try giftKey.seal(secrets, giftID: id, userID: user.id)
        } else if let existing {
            sealed = existing.sealedSecrets
        } else {
            throw VaultError.invalid("The first upload of a gift carries its secrets")
        }
        if existing == nil, upload.revokedAt == nil,
            try await store.liveGifts(of: user.id, now: now) >= configuration.giftsPerAccount
        {
            throw VaultError(
                status: .tooManyRequests,
                code: "TOO_MANY_GIFTS",
                message: "This account has \(configuration.giftsPerAccount) live gifts served — turn one off first"
            )
        }
        let gift = VaultGift(
            id: id,
            userID: user.id,
            provider: upload.provider,
            label: TerminalText.printable(upload.label),
            relayURL: upload.relayUrl,
            roomID: upload.roomId,
            maxTokens: upload.maxTokens,
            usedTokens: upload.usedTokens,
            expiresAt: upload.expiresAt,
            revokedAt: upload.revokedAt,
            sealedSecrets: sealed,
            createdAt: existing?.createdAt ?? now,
            updatedAt: now
        )
        guard try await store.write(gift), let stored = try await store.gift(id) else {
            throw VaultError(status: .conflict, code: "ID_TAKEN", message: "Another account serves a gift with this id")
        }
        onChange()
        return Self.item(of: stored)
    }

    /// The account's served gifts, newest first.
    func list(token: String) async throws -> [VaultGiftItem] {
        let (_, user) = try await accounts.authenticate(token: token)
        return try await store.gifts(of: user.id).map(Self.item(of:))
    }

    /// Stops serving a gift and forgets its secrets.
    func remove(id: String, token: String) async throws {
        let (_, user) = try await accounts.authenticate(token: token)
        guard try await store.deleteGift(id: id, of: user.id) else {
            throw VaultError(status: .notFound, code: "NOT_FOUND", message: "This account has no served gift \(id)")
        }
        onChange()
    }

    static func item(of gift: VaultGift) -> VaultGiftItem {
        VaultGiftItem(
            id: gift.id,
            provider: gift.provider,
            label: gift.label,
            maxTokens: gift.maxTokens,
            usedTokens: gift.usedTokens,
            expiresAt: gift.expiresAt,
            revokedAt: gift.revokedAt,
            updatedAt: gift.updatedAt
        )
    }

    static func check(id: String) throws {
        guard id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil else {
            throw VaultError.invalid("A gift id is a lowercase UUID")
        }
    }

    private func check(_ upload: VaultGiftUpload, isNew: Bool, now: Int64) throws {
        guard ProviderRegistry.provider(ProviderID(upload.provider)) != nil else {
            throw VaultError.invalid("Unknown provider \"\(TerminalText.printable(upload.provider))\"")
        }
        let label = TerminalText.printable(upload.label)
        guard !label.isEmpty, label.count <= 200 else {
            throw VaultError.invalid("A gift's label is 1 to 200 characters")
        }
        guard upload.relayUrl.utf8.count <= 2048, ProviderURLPolicy.isAllowedRelayURL(upload.relayUrl) else {
            throw VaultError.invalid("The relay must be a wss:// URL (ws:// only on loopback)")
        }
        guard upload.roomId.hasPrefix("v2_"), upload.roomId.utf8.count <= 256 else {
            throw VaultError.invalid("roomId is the gift's version 2 relay room")
        }
        guard (1...Wallet.maximumGiftBudget).contains(upload.maxTokens),
            (0...upload.maxTokens).contains(upload.usedTokens)
        else { throw VaultError.invalid("maxTokens is 1 to \(Wallet.maximumGiftBudget), usedTokens 0 to maxTokens") }
        guard upload.expiresAt <= now + Wallet.maximumGiftLifetime + VaultKeys.allowedClockSkew else {
            throw VaultError.invalid("A gift expires within 90 days")
        }
        if isNew {
            guard upload.expiresAt > now, upload.revokedAt == nil else {
                throw VaultError.invalid("This gift has ended: there is nothing to serve")
            }
        }
    }

    private func check(_ secrets: VaultGiftUpload.Secrets, roomID: String) throws {
        guard !secrets.apiKey.isEmpty, secrets.apiKey.utf8.count <= 4096 else {
            throw VaultError.invalid("A key is 1 to 4096 bytes")
        }
        guard AuthMethod(rawValue: secrets.authMethod) != nil else {
            throw VaultError.invalid("authMethod is api_key or oauth")
        }
        if let base = secrets.baseUrl {
            guard base.utf8.count <= 2048, let url = AbsoluteURL(base),
                url.scheme == "https" || (url.scheme == "http" && url.isLoopbackHost)
            else { throw VaultError.invalid("A key's base URL must be https (or http on loopback)") }
        }
        for field in [secrets.senderKey, secrets.authToken, secrets.privateKey] {
            guard !field.isEmpty, field.utf8.count <= 1024 else {
                throw VaultError.invalid("senderKey, authToken and privateKey are 1 to 1024 bytes")
            }
        }
        // The sender key must prove this room, or the vault could never hold it.
        guard ConstantTime.equals(Array(RelaySealing.roomID(senderKey: secrets.senderKey).utf8), Array(roomID.utf8))
        else { throw VaultError.invalid("The sender key does not prove roomId") }
    }
}
