import Crypto

/// One-way hashes for values stored in place of secrets (session keys, tokens).
public enum SecureHash {
    /// Lower-case hex SHA-256 of the UTF-8 bytes of `text`.
    public static func sha256Hex(_ text: String) -> String {
        Hex.encode(SHA256.hash(data: Array(text.utf8)))
    }
}
