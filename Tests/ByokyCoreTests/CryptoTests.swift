import ByokyCore
import Crypto
import CryptoExtras
import Foundation
import Testing

struct CryptoTests {
    static let password = "test-password-Str0ng!"

    @Test(arguments: ["hello", "", "emoji 🔑 and 日本語 текст", String(repeating: "k", count: 10_000)])
    func extensionEncryptRoundTrips(plaintext: String) throws {
        let sealed = try ExtensionCrypto.encrypt(plaintext, password: Self.password)
        #expect(try ExtensionCrypto.decrypt(sealed, password: Self.password) == plaintext)
        let raw = try #require(Base64.decode(sealed))
        #expect(raw.count == 16 + 12 + plaintext.utf8.count + 16)
    }

    @Test func extensionEncryptUsesFreshSaltAndIV() throws {
        let first = try ExtensionCrypto.encrypt("same", password: Self.password)
        let second = try ExtensionCrypto.encrypt("same", password: Self.password)
        #expect(first != second)
        #expect(Base64.decode(first)?.prefix(28) != Base64.decode(second)?.prefix(28))
    }

    @Test func extensionDecryptRejectsWrongPasswordTamperingAndGarbage() throws {
        let sealed = try ExtensionCrypto.encrypt("secret", password: Self.password)
        #expect(throws: ByokyError(.decryptFailed, "")) {
            try ExtensionCrypto.decrypt(sealed, password: "other-password")
        }
        var characters = Array(sealed)
        characters[20] = characters[20] == "A" ? "B" : "A"
        #expect(throws: ByokyError(.decryptFailed, "")) {
            try ExtensionCrypto.decrypt(String(characters), password: Self.password)
        }
        #expect(throws: ByokyError(.decryptFailed, "")) { try ExtensionCrypto.decrypt("%%%", password: Self.password) }
        #expect(throws: ByokyError(.decryptFailed, "")) { try ExtensionCrypto.decrypt("AAAA", password: Self.password) }
    }

    @Test func passwordHashVerifiesOnlyTheRightPassword() throws {
        let stored = try ExtensionCrypto.hashPassword(Self.password)
        #expect(Base64.decode(stored)?.count == 48)
        #expect(ExtensionCrypto.verifyPassword(Self.password, against: stored))
        #expect(!ExtensionCrypto.verifyPassword("wrong password", against: stored))
        #expect(try ExtensionCrypto.hashPassword(Self.password) != stored)

        let raw = try #require(Base64.decode(stored))
        #expect(!ExtensionCrypto.verifyPassword(Self.password, against: Base64.encode(raw.dropLast(10))))
        let flipped = Array(raw[..<16]) + raw[16...].map { $0 ^ 0xFF }
        #expect(!ExtensionCrypto.verifyPassword(Self.password, against: Base64.encode(flipped)))
        #expect(!ExtensionCrypto.verifyPassword(Self.password, against: "not base64!"))
    }

    @Test func preDerivedKeyFormatHasNoSalt() throws {
        let key = try ExtensionCrypto.deriveKey(password: Self.password, salt: Array(repeating: 7, count: 16))
        let sealed = try ExtensionCrypto.encrypt("sync me", key: key)
        #expect(Base64.decode(sealed)?.count == 12 + 7 + 16)
        #expect(try ExtensionCrypto.decrypt(sealed, key: key) == "sync me")
        #expect(throws: ByokyError(.decryptFailed, "")) {
            try ExtensionCrypto.decrypt(sealed, key: SymmetricKey(size: .bits256))
        }
    }

    @Test(arguments: [
        ("sk-1234567890abcdef", "sk-1...cdef"), ("short", "****"), ("12345678", "****"), ("123456789", "1234...6789"),
        ("", "****"),
    ])
    func maskKeyShowsOnlyTheEnds(key: String, masked: String) {
        #expect(maskKey(key) == masked)
    }

    @Test func secretBoxBindsCiphertextToItsAssociatedData() throws {
        let key = SymmetricKey(size: .bits256)
        let sealed = try SecretBox.seal(Array("api-key".utf8), using: key, authenticating: Array("credential:1".utf8))
        #expect(sealed.count == 7 + SecretBox.overhead)
        #expect(
            try SecretBox.open(sealed, using: key, authenticating: Array("credential:1".utf8)) == Array("api-key".utf8)
        )
        #expect(throws: ByokyError(.decryptFailed, "")) {
            try SecretBox.open(sealed, using: key, authenticating: Array("credential:2".utf8))
        }
        #expect(throws: ByokyError(.decryptFailed, "")) {
            try SecretBox.open(sealed.dropLast(), using: key, authenticating: Array("credential:1".utf8))
        }
        #expect(throws: ByokyError(.decryptFailed, "")) { try SecretBox.open([1, 2, 3], using: key) }
    }

    @Test func wrappedDataKeyUnwrapsWithItsPasswordAndSurvivesAPasswordChange() throws {
        let (wrapped, dataKey) = try WrappedDataKey.create(password: "first password 123")
        #expect(wrapped.derivation.iterations == 600_000)
        #expect(wrapped.derivation.algorithm == "pbkdf2-sha256")
        let unwrapped = try wrapped.unwrap(password: "first password 123")
        #expect(unwrapped == dataKey)
        #expect(throws: ByokyError(.decryptFailed, "")) { try wrapped.unwrap(password: "wrong") }

        let secret = try SecretBox.seal(Array("sk-live".utf8), using: dataKey)
        let changed = try wrapped.rewrapped(oldPassword: "first password 123", newPassword: "second password 456")
        #expect(changed.derivation.salt != wrapped.derivation.salt)
        let afterChange = try changed.unwrap(password: "second password 456")
        #expect(try SecretBox.open(secret, using: afterChange) == Array("sk-live".utf8))
        #expect(throws: ByokyError(.decryptFailed, "")) { try changed.unwrap(password: "first password 123") }
    }

    @Test func keyDerivationRefusesWeakOrMalformedParameters() throws {
        let weak = try derivation(#"{"algorithm":"pbkdf2-sha256","iterations":1000,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}"#)
        #expect(throws: ByokyError(.invalidRequest, "")) { try weak.deriveKey(from: "x") }
        let unknown = try derivation(#"{"algorithm":"md5","iterations":600000,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="}"#)
        #expect(throws: ByokyError(.invalidRequest, "")) { try unknown.deriveKey(from: "x") }
        let shortSalt = try derivation(#"{"algorithm":"pbkdf2-sha256","iterations":600000,"salt":"AAAA"}"#)
        #expect(throws: ByokyError(.invalidRequest, "")) { try shortSalt.deriveKey(from: "x") }
    }

    @Test func pbkdf2MatchesThePublishedSHA256Vector() throws {
        // RFC 7914 §11 test vector for PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64), first 32 bytes.
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array("passwd".utf8),
            salt: Array("salt".utf8),
            using: .sha256,
            outputByteCount: 32,
            unsafeUncheckedRounds: 1
        )
        #expect(
            key.withUnsafeBytes { Hex.encode($0) }
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        )
    }

    @Test func constantTimeEqualsComparesContentAndLength() {
        #expect(ConstantTime.equals("abc", "abc"))
        #expect(!ConstantTime.equals("abc", "abd"))
        #expect(!ConstantTime.equals("abc", "abcd"))
        #expect(!ConstantTime.equals("", "a"))
        #expect(!ConstantTime.equals("abcd", "abc"))
        #expect(!ConstantTime.equals("xbc", "abc"))
        #expect(ConstantTime.equals("", ""))
        #expect(!ConstantTime.equals("caf\u{e9}", "cafe"))
        let long = String(repeating: "k", count: 300)
        #expect(ConstantTime.equals(long, String(repeating: "k", count: 300)))
        #expect(!ConstantTime.equals(long, String(repeating: "k", count: 299) + "j"))
        #expect(ConstantTime.equals([UInt8](), [UInt8]()))
    }

    @Test func randomTokensHaveTheOriginalShapesAndDiffer() {
        let session = SecureRandom.sessionKey()
        #expect(session.hasPrefix("byk_") && session.count == 36)
        #expect(session.dropFirst(4).allSatisfy { $0.isHexDigit })
        #expect(SecureRandom.giftToken().hasPrefix("gft_"))
        #expect(SecureRandom.sessionKey() != session)
        let uuid = SecureRandom.uuid()
        #expect(uuid.count == 36 && uuid.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(Array(uuid)[14] == "4")
        #expect(SecureRandom.base64URLToken(byteCount: 32).count == 43)
    }

    @Test func secretStringNeverPrintsItsValue() {
        let secret = SecretString("sk-canary-0123456789")
        #expect("\(secret)" == "<redacted>")
        #expect(String(describing: secret) == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        var dumped = ""
        dump(secret, to: &dumped)
        #expect(!dumped.contains("canary"))
        #expect(secret.matches("sk-canary-0123456789"))
    }

    private func derivation(_ json: String) throws -> KeyDerivation {
        try JSONDecoder().decode(KeyDerivation.self, from: Data(json.utf8))
    }
}
