public import Crypto

/// AES-256-GCM sealing with associated data, in the layout `nonce(12) ‖ ciphertext ‖ tag(16)`.
///
/// The associated data binds a ciphertext to the record it belongs to (for example
/// `credential:<id>`), so a sealed value copied into another record fails to open.
public enum SecretBox {
    /// Bytes added to every sealed value: a 12-byte nonce and a 16-byte tag.
    public static let overhead = 28

    /// Seals `plaintext` under `key` with a fresh random nonce.
    public static func seal(
        _ plaintext: some Collection<UInt8>,
        using key: SymmetricKey,
        authenticating associatedData: some Collection<UInt8> = [UInt8]()
    ) throws -> [UInt8] {
        let box = try AES.GCM.seal(Array(plaintext), using: key, authenticating: Array(associatedData))
        guard let combined = box.combined else {
            throw ByokyError(.internalError, "AES-GCM produced no combined output")
        }
        return Array(combined)
    }

    /// Opens a value made by ``seal(_:using:authenticating:)``.
    ///
    /// - Throws: ``ByokyError`` with code `DECRYPT_FAILED` for a wrong key, wrong associated data,
    ///   tampering or truncation.
    public static func open(
        _ sealed: some Collection<UInt8>,
        using key: SymmetricKey,
        authenticating associatedData: some Collection<UInt8> = [UInt8]()
    ) throws -> [UInt8] {
        let bytes = Array(sealed)
        guard bytes.count >= overhead else {
            throw ByokyError(.decryptFailed, "Sealed value is too short")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: bytes)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(associatedData)))
        } catch {
            throw ByokyError(.decryptFailed, "Wrong key or corrupted data", underlying: error)
        }
    }
}
