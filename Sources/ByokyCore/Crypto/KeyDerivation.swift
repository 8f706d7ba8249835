public import Crypto
import CryptoExtras

/// How a key was derived from a password: the algorithm, its cost and its salt.
///
/// Stored next to whatever the key protects, so the cost can be raised later without losing
/// access to data sealed under the old parameters.
public struct KeyDerivation: Sendable, Hashable, Codable {
    /// The only algorithm supported today.
    public static let pbkdf2SHA256 = "pbkdf2-sha256"
    /// The iteration count of the original extension and of new wallets.
    public static let defaultIterations = 600_000
    /// The salt length of the original extension and of new wallets.
    public static let saltByteCount = 16

    /// The algorithm name, e.g. `pbkdf2-sha256`.
    public let algorithm: String
    /// The PBKDF2 iteration count.
    public let iterations: Int
    /// The salt, base64.
    public let salt: String

    /// Parameters with a fresh random salt.
    public init(iterations: Int = KeyDerivation.defaultIterations) {
        self.init(salt: SecureRandom.bytes(Self.saltByteCount), iterations: iterations)
    }

    /// Parameters with the given salt.
    public init(salt: [UInt8], iterations: Int = KeyDerivation.defaultIterations) {
        self.algorithm = Self.pbkdf2SHA256
        self.iterations = iterations
        self.salt = Base64.encode(salt)
    }

    /// Derives a 256-bit key from `password`.
    ///
    /// - Throws: ``ByokyError`` with code `INVALID_REQUEST` for an unknown algorithm, a bad salt or
    ///   an iteration count below 100,000.
    public func deriveKey(from password: String) throws -> SymmetricKey {
        guard algorithm == Self.pbkdf2SHA256 else {
            throw ByokyError(.invalidRequest, "Unsupported key derivation algorithm")
        }
        guard iterations >= 100_000, iterations <= 100_000_000 else {
            throw ByokyError(.invalidRequest, "Key derivation iteration count is out of range")
        }
        guard let saltBytes = Base64.decode(salt), saltBytes.count >= 16 else {
            throw ByokyError(.invalidRequest, "Key derivation salt is missing or too short")
        }
        return try Self.pbkdf2(password: Array(password.utf8), salt: saltBytes, iterations: iterations)
    }

    /// Raw PBKDF2-HMAC-SHA256 with a 32-byte output.
    ///
    /// swift-crypto's checked variant refuses fewer than 210,000 rounds; callers enforce Byoky's own
    /// bounds (``deriveKey(from:)`` requires 100,000 or more), so the unchecked one is used.
    package static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) throws -> SymmetricKey {
        try KDF.Insecure.PBKDF2.deriveKey(
            from: password,
            salt: salt,
            using: .sha256,
            outputByteCount: 32,
            unsafeUncheckedRounds: iterations
        )
    }
}
