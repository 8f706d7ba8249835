public import Crypto

/// A random 256-bit data key, sealed under a key derived from the owner's password.
///
/// Secrets are sealed under the data key, never under the password directly, so unlocking costs
/// one key derivation and changing the password rewraps 32 bytes instead of every secret.
public struct WrappedDataKey: Sendable, Hashable, Codable {
    /// How the key-encryption key is derived from the password.
    public let derivation: KeyDerivation
    /// The sealed data key, base64 (`nonce ‖ ciphertext ‖ tag`).
    public let sealedKey: String

    private static let associatedData = Array("byoky.data-key.v1".utf8)

    /// Makes a new random data key and wraps it under `password`.
    ///
    /// - Returns: the wrapped form to store and the data key to use now.
    public static func create(
        password: String,
        iterations: Int = KeyDerivation.defaultIterations
    ) throws -> (wrapped: WrappedDataKey, dataKey: SymmetricKey) {
        let dataKey = SymmetricKey(size: .bits256)
        return (try wrap(dataKey, password: password, derivation: KeyDerivation(iterations: iterations)), dataKey)
    }

    /// Wraps an existing data key under `password` with the given derivation parameters.
    public static func wrap(
        _ dataKey: SymmetricKey,
        password: String,
        derivation: KeyDerivation
    ) throws -> WrappedDataKey {
        let keyEncryptionKey = try derivation.deriveKey(from: password)
        let raw = dataKey.withUnsafeBytes { Array($0) }
        let sealed = try SecretBox.seal(raw, using: keyEncryptionKey, authenticating: associatedData)
        return WrappedDataKey(derivation: derivation, sealedKey: Base64.encode(sealed))
    }

    /// Unwraps the data key with `password`.
    ///
    /// - Throws: ``ByokyError`` with code `DECRYPT_FAILED` when the password is wrong.
    public func unwrap(password: String) throws -> SymmetricKey {
        guard let sealed = Base64.decode(sealedKey) else {
            throw ByokyError(.decryptFailed, "Wrapped data key is not valid base64")
        }
        let keyEncryptionKey = try derivation.deriveKey(from: password)
        do {
            let raw = try SecretBox.open(sealed, using: keyEncryptionKey, authenticating: Self.associatedData)
            guard raw.count == 32 else { throw ByokyError(.decryptFailed, "Data key has the wrong length") }
            return SymmetricKey(data: raw)
        } catch {
            throw ByokyError(.decryptFailed, "Wrong password", underlying: error)
        }
    }

    /// The same data key wrapped under `newPassword` with a fresh salt (a password change).
    public func rewrapped(oldPassword: String, newPassword: String, iterations: Int? = nil) throws -> WrappedDataKey {
        let dataKey = try unwrap(password: oldPassword)
        let derivation = KeyDerivation(iterations: iterations ?? self.derivation.iterations)
        return try Self.wrap(dataKey, password: newPassword, derivation: derivation)
    }
}
