package import ByokyCore
public import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operator's key for the gifts a vault serves: their secrets are sealed under it, and it is
/// kept in a file beside the vault, never in the database — a copy of the database alone opens no
/// gift. Every instance sharing one database must be given the same file.
///
/// The file holds 32 random bytes in base64 (one line). A vault started without one serves no
/// gifts and says so to wallets that ask.
public struct GiftKey: Sendable {
    let key: SymmetricKey

    public init(_ key: SymmetricKey) {
        self.key = key
    }

    /// Reads the key in `path`, or, when no file is there, makes one (mode 0600). Instances
    /// starting together agree on one key: the file appears whole or not at all (written aside,
    /// then linked into place, which fails if another instance's is there first).
    /// - Returns: the key and whether the file was made now.
    /// - Throws: ``ByokyError`` `INVALID_REQUEST` when the file does not hold a key or cannot be made.
    public static func loadOrCreate(path: String) throws -> (key: GiftKey, created: Bool) {
        if let existing = try read(path) { return (existing, false) }
        let bytes = SecureRandom.bytes(32)
        let aside = path + ".\(SecureRandom.hexToken(byteCount: 8)).new"
        guard
            FileManager.default.createFile(
                atPath: aside,
                contents: Data((Base64.encode(bytes) + "\n").utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw ByokyError(.invalidRequest, "Could not create the gift key file \(path)") }
        defer { unlink(aside) }
        guard link(aside, path) == 0 else {
            // Another instance made it first: use theirs.
            if errno == EEXIST, let theirs = try read(path) { return (theirs, false) }
            throw ByokyError(.invalidRequest, "Could not create the gift key file \(path)")
        }
        return (GiftKey(SymmetricKey(data: bytes)), true)
    }

    private static func read(_ path: String) throws -> GiftKey? {
        guard let text = FileManager.default.contents(atPath: path) else { return nil }
        let line = String(decoding: text, as: UTF8.self).trimmingASCIIWhitespace()
        guard let bytes = Base64.decode(line), bytes.count == 32 else {
            throw ByokyError(.invalidRequest, "\(path) does not hold a gift key (32 bytes in base64)")
        }
        return GiftKey(SymmetricKey(data: bytes))
    }

    /// Seals a gift's secrets, bound to the gift and its owner.
    package func seal(_ secrets: VaultGiftUpload.Secrets, giftID: String, userID: String) throws -> String {
        let plain = try JSONEncoder().encode(secrets)
        return Base64.encode(try SecretBox.seal(Array(plain), using: key, authenticating: Self.data(giftID, userID)))
    }

    /// Opens what ``seal(_:giftID:userID:)`` made.
    /// - Throws: ``ByokyError`` `DECRYPT_FAILED` (another key, another gift's row, tampering).
    package func open(_ sealed: String, giftID: String, userID: String) throws -> VaultGiftUpload.Secrets {
        guard let bytes = Base64.decode(sealed),
            let plain = try? SecretBox.open(bytes, using: key, authenticating: Self.data(giftID, userID)),
            let secrets = try? JSONDecoder().decode(VaultGiftUpload.Secrets.self, from: Data(plain))
        else {
            throw ByokyError(.decryptFailed, "A served gift's secrets could not be opened with this vault's gift key")
        }
        return secrets
    }

    private static func data(_ giftID: String, _ userID: String) -> [UInt8] {
        Array("byoky-vault-gift-v1:\(giftID):\(userID)".utf8)
    }
}
