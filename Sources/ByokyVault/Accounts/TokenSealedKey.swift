import ByokyCore
import Crypto
import Foundation

/// An account's data key as a login keeps it: sealed under a key derived (HKDF-SHA256) from the
/// login's own token, which only the client holds (the database keeps the token's hash). Any
/// instance given the token can open it; the database alone cannot — unlike the original, which
/// wrapped every key under one server-wide secret.
enum TokenSealedKey {
    static func seal(_ dataKey: SymmetricKey, token: String, loginID: String) throws -> String {
        let raw = dataKey.withUnsafeBytes { Array($0) }
        return Base64.encode(try SecretBox.seal(raw, using: key(token, loginID), authenticating: Array(loginID.utf8)))
    }

    static func open(_ sealed: String, token: String, loginID: String) throws -> SymmetricKey {
        guard let bytes = Base64.decode(sealed) else { throw ByokyError(.decryptFailed, "Not base64") }
        return SymmetricKey(
            data: try SecretBox.open(bytes, using: key(token, loginID), authenticating: Array(loginID.utf8))
        )
    }

    private static func key(_ token: String, _ loginID: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: Array(token.utf8)),
            salt: Array("byoky-vault-login-v1".utf8),
            info: Array(loginID.utf8),
            outputByteCount: 32
        )
    }
}
