public import Crypto

/// The original browser extension's encryption formats, byte for byte, so values and backups
/// move between it and Byoky for Swift.
///
/// - ``encrypt(_:password:)``: base64(salt16 ‖ iv12 ‖ ciphertext ‖ tag16), PBKDF2-SHA256 600,000.
/// - ``hashPassword(_:)``: base64(salt16 ‖ pbkdf2-output32).
/// - ``encrypt(_:key:)``: base64(iv12 ‖ ciphertext ‖ tag16) under a pre-derived key.
public enum ExtensionCrypto {
    /// PBKDF2 iterations of every format here.
    public static let iterations = 600_000

    /// The AES-256-GCM key the extension derives from `password` and `salt`.
    public static func deriveKey(password: String, salt: [UInt8]) throws -> SymmetricKey {
        try KeyDerivation.pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations)
    }

    /// Encrypts `plaintext` under `password` with a fresh salt and IV.
    public static func encrypt(_ plaintext: String, password: String) throws -> String {
        let salt = SecureRandom.bytes(16)
        let key = try deriveKey(password: password, salt: salt)
        return Base64.encode(salt + (try SecretBox.seal(Array(plaintext.utf8), using: key)))
    }

    /// Decrypts a value made by ``encrypt(_:password:)``.
    ///
    /// - Throws: ``ByokyError`` with code `DECRYPT_FAILED` for a wrong password or tampering.
    public static func decrypt(_ encoded: String, password: String) throws -> String {
        guard let bytes = passwordCiphertext(encoded) else {
            throw ByokyError(.decryptFailed, "Ciphertext is not valid")
        }
        let key = try deriveKey(password: password, salt: Array(bytes[0..<16]))
        let plaintext = try SecretBox.open(bytes[16...], using: key)
        return try utf8String(plaintext)
    }

    /// The bytes of `encoded` when it can be a value made by ``encrypt(_:password:)`` (base64 of a
    /// salt and a sealed box); `nil` when it cannot be, whatever the password.
    static func passwordCiphertext(_ encoded: String) -> [UInt8]? {
        guard let bytes = Base64.decode(encoded), bytes.count >= 16 + SecretBox.overhead else { return nil }
        return bytes
    }

    /// Encrypts under a pre-derived key (the cloud-vault sync format).
    public static func encrypt(_ plaintext: String, key: SymmetricKey) throws -> String {
        Base64.encode(try SecretBox.seal(Array(plaintext.utf8), using: key))
    }

    /// Decrypts a value made by ``encrypt(_:key:)``.
    public static func decrypt(_ encoded: String, key: SymmetricKey) throws -> String {
        guard let bytes = Base64.decode(encoded) else {
            throw ByokyError(.decryptFailed, "Ciphertext is not valid base64")
        }
        return try utf8String(try SecretBox.open(bytes, using: key))
    }

    /// A password verifier: base64(salt16 ‖ PBKDF2 output32).
    public static func hashPassword(_ password: String) throws -> String {
        let salt = SecureRandom.bytes(16)
        let hash = try deriveKey(password: password, salt: salt).withUnsafeBytes { Array($0) }
        return Base64.encode(salt + hash)
    }

    /// Whether `password` matches a verifier from ``hashPassword(_:)``; compared in constant time.
    ///
    /// A malformed or truncated verifier gives `false`, never an error.
    public static func verifyPassword(_ password: String, against stored: String) -> Bool {
        guard let bytes = Base64.decode(stored), bytes.count > 16 else { return false }
        guard let key = try? deriveKey(password: password, salt: Array(bytes[0..<16])) else { return false }
        let hash = key.withUnsafeBytes { Array($0) }
        return ConstantTime.equals(hash, bytes[16...])
    }

    private static func utf8String(_ bytes: [UInt8]) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ByokyError(.decryptFailed, "Decrypted value is not UTF-8 text")
        }
        return text
    }
}
