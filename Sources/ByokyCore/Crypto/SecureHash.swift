import Crypto

/// One-way hashes for values stored in place of secrets (session keys, tokens).
public enum SecureHash {
    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256Hex(_ text: String) -> String {
        var hasher = SHA256()
        var text = text
        // Hashed in place (a native string's bytes are contiguous once `withUTF8` has run).
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hasher.finalize().withUnsafeBytes { Hex.encode($0) }
    }
}
