/// Reads and writes `.byoky` backup files, the original extension's export format.
///
/// The file is the text `encrypt(JSON, exportPassword)` (see ``ExtensionCrypto``); inside the
/// JSON each secret is encrypted again under the same export password. Unlike the original,
/// refresh tokens are re-encrypted too, so they survive a move between wallets.
public enum ByokyBackupFile {
    /// The format version written and required.
    public static let version = 2
    /// The largest JSON document accepted inside a file (the original's limit).
    public static let maximumJSONLength = 10_485_760
    /// The largest file accepted, in bytes of base64 text.
    public static let maximumFileLength = 14_200_000
    /// The most sealed values (keys, refresh tokens, gift tokens) a file may hold. Each takes a
    /// key derivation of its own to open (about 70 ms on a fast core): a file of the largest size
    /// could otherwise hold some hundred thousand, hours of work for whoever imports it.
    public static let maximumSealedValues = 1_000

    /// Makes the file text for `backup`, encrypted under `password`.
    public static func seal(_ backup: ByokyBackup, password: String) throws -> String {
        let encrypt = { (secret: SecretString) in try ExtensionCrypto.encrypt(secret.exposedValue, password: password) }
        var credentials: [FileCredential] = []
        for credential in backup.credentials {
            let sealedSecret = try encrypt(credential.secret)
            credentials.append(
                FileCredential(
                    id: credential.id,
                    providerId: credential.provider.rawValue,
                    label: credential.label,
                    authMethod: credential.authMethod.rawValue,
                    createdAt: credential.createdAt,
                    lastUsedAt: credential.lastUsedAt,
                    baseUrl: credential.baseURL,
                    encryptedKey: credential.authMethod == .apiKey ? sealedSecret : nil,
                    encryptedAccessToken: credential.authMethod == .oauth ? sealedSecret : nil,
                    encryptedRefreshToken: try credential.refreshToken.map(encrypt),
                    expiresAt: credential.expiresAt
                )
            )
        }
        var gifts: [FileGift] = []
        for gift in backup.gifts {
            gifts.append(
                FileGift(
                    id: gift.id,
                    credentialId: gift.credentialID,
                    providerId: gift.provider.rawValue,
                    label: gift.label,
                    authToken: try encrypt(gift.authToken),
                    maxTokens: gift.maxTokens,
                    usedTokens: gift.usedTokens,
                    expiresAt: gift.expiresAt,
                    createdAt: gift.createdAt,
                    active: gift.isActive,
                    relayUrl: gift.relayURL
                )
            )
        }
        var gifted: [FileGiftedCredential] = []
        for item in backup.giftedCredentials {
            gifted.append(
                FileGiftedCredential(
                    id: item.id,
                    giftId: item.giftID,
                    providerId: item.provider.rawValue,
                    providerName: item.providerName,
                    senderLabel: item.senderLabel,
                    authToken: try encrypt(item.authToken),
                    maxTokens: item.maxTokens,
                    usedTokens: item.usedTokens,
                    expiresAt: item.expiresAt,
                    relayUrl: item.relayURL,
                    createdAt: item.createdAt
                )
            )
        }
        let file = FileContents(
            version: version,
            exportedAt: backup.exportedAt,
            credentials: credentials,
            gifts: gifts,
            giftedCredentials: gifted
        )
        return try ExtensionCrypto.encrypt(try JSONCoding.encodeString(file), password: password)
    }

    /// Refuses text that cannot be a backup whatever its password (too long, or not the encrypted
    /// text a backup holds): checked before anyone is asked for a password.
    ///
    /// - Throws: ``ByokyError`` `PAYLOAD_TOO_LARGE`, or `INVALID_REQUEST`.
    public static func checkShape(_ text: String) throws {
        guard ExtensionCrypto.passwordCiphertext(try trimmedWithinLimit(text)) != nil else {
            throw ByokyError(.invalidRequest, "The file is not a .byoky backup (not the encrypted text a backup holds)")
        }
    }

    /// File text without the whitespace around it, refused when longer than a backup can be.
    private static func trimmedWithinLimit(_ text: String) throws -> String {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.utf8.count <= maximumFileLength else {
            throw ByokyError.payloadTooLarge("Backup file", limit: maximumFileLength)
        }
        return trimmed
    }

    /// Opens file text made by the original extension or by ``seal(_:password:)``.
    ///
    /// - Throws: ``ByokyError`` with `DECRYPT_FAILED` ("Wrong password or corrupted file"),
    ///   `PAYLOAD_TOO_LARGE`, or `INVALID_REQUEST` for a document that is not a version-2 backup.
    public static func open(_ text: String, password: String) throws -> ByokyBackup {
        let trimmed = try trimmedWithinLimit(text)
        let json: String
        do {
            json = try ExtensionCrypto.decrypt(trimmed, password: password)
        } catch {
            throw ByokyError(.decryptFailed, "Wrong password or corrupted file", underlying: error)
        }
        return try backup(
            fromJSON: json,
            decrypt: { value in SecretString(try ExtensionCrypto.decrypt(value, password: password)) }
        )
    }

    /// Reads a decrypted backup document; `decrypt` opens each sealed value in it. (Separate from
    /// ``open(_:password:)`` so the parser can be fuzzed without a key derivation per input.)
    public static func backup(
        fromJSON json: String,
        decrypt: (String) throws -> SecretString
    ) throws -> ByokyBackup {
        guard json.utf16.count <= maximumJSONLength else {
            throw ByokyError.payloadTooLarge("Backup contents", limit: maximumJSONLength)
        }
        let file: FileContents
        do {
            file = try JSONCoding.decode(FileContents.self, from: json)
        } catch {
            throw ByokyError(.invalidRequest, "The file is not a byoky backup (missing version or credentials)")
        }
        guard file.version == version else {
            throw ByokyError(.invalidRequest, "Unsupported backup version \(file.version)")
        }
        let sealedValues =
            file.credentials.count + file.credentials.count(where: { $0.encryptedRefreshToken != nil })
            + (file.gifts?.count ?? 0) + (file.giftedCredentials?.count ?? 0)
        guard sealedValues <= maximumSealedValues else {
            throw ByokyError(
                .payloadTooLarge,
                "The backup holds \(sealedValues) sealed keys and tokens; at most \(maximumSealedValues) are read"
            )
        }

        var backup = ByokyBackup(exportedAt: file.exportedAt ?? 0)
        for item in file.credentials {
            let method = AuthMethod(rawValue: item.authMethod) ?? .apiKey
            guard let sealed = method == .oauth ? item.encryptedAccessToken : item.encryptedKey else {
                throw ByokyError(.invalidRequest, "Credential \"\(item.label)\" has no secret")
            }
            var refreshToken: SecretString?
            if let sealedRefresh = item.encryptedRefreshToken {
                refreshToken = try? decrypt(sealedRefresh)
                if refreshToken == nil { backup.unreadableRefreshTokens += 1 }
            }
            backup.credentials.append(
                ByokyBackup.Credential(
                    id: item.id,
                    provider: ProviderID(item.providerId),
                    label: item.label,
                    authMethod: method,
                    secret: try decrypt(sealed),
                    refreshToken: refreshToken,
                    baseURL: item.baseUrl,
                    createdAt: item.createdAt,
                    lastUsedAt: item.lastUsedAt,
                    expiresAt: item.expiresAt
                )
            )
        }
        for item in file.gifts ?? [] {
            backup.gifts.append(
                ByokyBackup.Gift(
                    id: item.id,
                    credentialID: item.credentialId,
                    provider: ProviderID(item.providerId),
                    label: item.label,
                    authToken: try decrypt(item.authToken),
                    maxTokens: item.maxTokens,
                    usedTokens: item.usedTokens,
                    expiresAt: item.expiresAt,
                    createdAt: item.createdAt,
                    isActive: item.active,
                    relayURL: item.relayUrl
                )
            )
        }
        for item in file.giftedCredentials ?? [] {
            backup.giftedCredentials.append(
                ByokyBackup.GiftedCredential(
                    id: item.id,
                    giftID: item.giftId,
                    provider: ProviderID(item.providerId),
                    providerName: item.providerName,
                    senderLabel: item.senderLabel,
                    authToken: try decrypt(item.authToken),
                    maxTokens: item.maxTokens,
                    usedTokens: item.usedTokens,
                    expiresAt: item.expiresAt,
                    relayURL: item.relayUrl,
                    createdAt: item.createdAt
                )
            )
        }
        return backup
    }

    /// The file name the original extension gives a backup made on `date` (`YYYY-MM-DD`).
    public static func fileName(forDate date: String) -> String { "byoky-vault-\(date).byoky" }

    private struct FileContents: Codable {
        let version: Int
        let exportedAt: Int64?
        let credentials: [FileCredential]
        let gifts: [FileGift]?
        let giftedCredentials: [FileGiftedCredential]?
    }

    private struct FileCredential: Codable {
        let id: String
        let providerId: String
        let label: String
        let authMethod: String
        let createdAt: Int64
        let lastUsedAt: Int64?
        let baseUrl: String?
        let encryptedKey: String?
        let encryptedAccessToken: String?
        let encryptedRefreshToken: String?
        let expiresAt: Int64?
    }

    private struct FileGift: Codable {
        let id: String
        let credentialId: String
        let providerId: String
        let label: String
        let authToken: String
        let maxTokens: Int
        let usedTokens: Int
        let expiresAt: Int64
        let createdAt: Int64
        let active: Bool
        let relayUrl: String
    }

    private struct FileGiftedCredential: Codable {
        let id: String
        let giftId: String
        let providerId: String
        let providerName: String
        let senderLabel: String
        let authToken: String
        let maxTokens: Int
        let usedTokens: Int
        let expiresAt: Int64
        let relayUrl: String
        let createdAt: Int64
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces, tabs and line breaks.
    package func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
