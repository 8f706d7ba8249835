import ByokyCore
import Crypto
import Foundation
import HTTPTypes

/// The keys a wallet syncs to its vault account: sealed under the account's data key, which a
/// request opens with its own login token; last write wins (by the writer's `updatedAt`), and a
/// removal is a tombstone so other devices hear of it.
struct VaultKeys: Sendable {
    let accounts: VaultAccounts
    let store: VaultStore
    let configuration: VaultConfiguration

    /// How far ahead of the vault's clock a write's time may be (a later time would win for ever).
    static let allowedClockSkew: Int64 = 5 * 60_000

    func upload(_ upload: VaultCredentialUpload, id: String, token: String) async throws -> VaultCredentialWrite {
        let (_, user, dataKey) = try await accounts.unlocked(token: token)
        try Self.check(id: id)
        try check(time: upload.updatedAt)
        guard ProviderRegistry.provider(ProviderID(upload.provider)) != nil else {
            throw VaultError.invalid("Unknown provider \"\(TerminalText.printable(upload.provider))\"")
        }
        let label = TerminalText.printable(upload.label)
        guard !label.isEmpty, label.count <= 100 else { throw VaultError.invalid("A label is 1 to 100 characters") }
        guard !upload.secret.isEmpty, upload.secret.utf8.count <= 4096 else {
            throw VaultError.invalid("A key is 1 to 4096 bytes")
        }
        if let method = upload.authMethod, AuthMethod(rawValue: method) == nil {
            throw VaultError.invalid("authMethod is api_key or oauth")
        }
        if let base = upload.baseUrl {
            guard base.utf8.count <= 2048, let url = AbsoluteURL(base),
                url.scheme == "https" || (url.scheme == "http" && url.isLoopbackHost)
            else { throw VaultError.invalid("A key's base URL must be https (or http on loopback)") }
        }
        let sealed = try SecretBox.seal(Array(upload.secret.utf8), using: dataKey, authenticating: Self.data(id))
        let written = try await store.write(
            VaultCredential(
                id: id,
                userID: user.id,
                provider: upload.provider,
                label: label,
                baseURL: upload.baseUrl,
                sealedSecret: Base64.encode(sealed),
                maskedSecret: maskKey(upload.secret),
                updatedAt: upload.updatedAt,
                deletedAt: nil,
                authMethod: upload.authMethod
            )
        )
        return try await answer(id: id, user: user.id, written: written)
    }

    /// Replaces a key with its tombstone, if the removal is later than the stored version.
    func remove(id: String, at time: Int64, token: String) async throws -> VaultCredentialWrite {
        let (_, user) = try await accounts.authenticate(token: token)
        try Self.check(id: id)
        try check(time: time)
        guard let existing = try await store.credential(id, of: user.id) else {
            throw VaultError(status: .notFound, code: "NOT_FOUND", message: "No key \(id) in this account")
        }
        let written = try await store.write(
            VaultCredential(
                id: id,
                userID: user.id,
                provider: existing.provider,
                label: existing.label,
                baseURL: nil,
                sealedSecret: nil,
                maskedSecret: nil,
                updatedAt: time,
                deletedAt: time
            )
        )
        return try await answer(id: id, user: user.id, written: written)
    }

    /// The account's live keys, masked.
    func list(token: String) async throws -> [VaultCredentialItem] {
        let (_, user) = try await accounts.authenticate(token: token)
        return try await store.credentials(of: user.id).filter { $0.deletedAt == nil }.map { item(of: $0, secret: nil) }
    }

    /// Changes since `since`, with the secrets (the owner pulling into a wallet) and tombstones.
    func sync(since: Int64, token: String) async throws -> VaultSync {
        let (_, user, dataKey) = try await accounts.unlocked(token: token)
        let now = configuration.clock()
        var items: [VaultCredentialItem] = []
        for credential in try await store.credentials(of: user.id, since: since) {
            var secret: String?
            if let sealed = credential.sealedSecret.flatMap(Base64.decode) {
                secret = String(
                    decoding: try SecretBox.open(sealed, using: dataKey, authenticating: Self.data(credential.id)),
                    as: UTF8.self
                )
            }
            items.append(item(of: credential, secret: secret))
        }
        return VaultSync(serverTime: now, credentials: items)
    }

    private func answer(id: String, user: String, written: Bool) async throws -> VaultCredentialWrite {
        let stored = try await store.credential(id, of: user)
        guard let stored else {
            // The id is another account's: nothing is said about it.
            throw VaultError(status: .conflict, code: "ID_TAKEN", message: "Choose another id for this key")
        }
        return VaultCredentialWrite(id: id, applied: written, updatedAt: stored.updatedAt)
    }

    private func item(of credential: VaultCredential, secret: String?) -> VaultCredentialItem {
        VaultCredentialItem(
            id: credential.id,
            provider: credential.provider,
            label: credential.label,
            baseUrl: credential.baseURL,
            updatedAt: credential.updatedAt,
            deletedAt: credential.deletedAt,
            maskedKey: credential.maskedSecret,
            secret: secret,
            authMethod: credential.authMethod
        )
    }

    static func check(id: String) throws {
        guard (1...64).contains(id.count), id.wholeMatch(of: /[A-Za-z0-9_-]+/) != nil else {
            throw VaultError.invalid("A key id is 1 to 64 of A-Z, a-z, 0-9, _ and -")
        }
    }

    private func check(time: Int64) throws {
        guard time > 0, time <= configuration.clock() + Self.allowedClockSkew else {
            throw VaultError.invalid("updatedAt must be a time (Unix ms) no later than now")
        }
    }

    static func data(_ id: String) -> [UInt8] { Array("vault-credential:\(id)".utf8) }
}
