import Crypto
import Foundation

/// End-to-end encryption of the frames between an app (or gift receiver) and a wallet, so the
/// relay in between routes only ciphertext.
///
/// Each request is sealed with HPKE (X25519, HKDF-SHA256, and the ``AEAD`` both ends agreed on) to
/// the wallet's X25519 public key, with `info` binding it to the room; the sealed frame carries the request's
/// own id (the relay re-tags the outer one on its way to the wallet). Both ends then derive a
/// response key from the HPKE exporter, and every response frame is sealed with the same AEAD
/// under that key, a nonce made from its sequence number and the request id as associated data. An
/// answer frame replayed, reordered, moved to another request or altered fails to open; a wallet
/// refuses a request whose encapsulated key it has seen before.
///
/// A pairing adds a pre-shared key (carried only in the pairing code, never seen by the relay), so
/// a relay that swapped in its own public key still could not read or answer requests.
public enum RelaySealing {
    /// The authenticated cipher of a sealed conversation. ChaCha20-Poly1305 is the default; a
    /// pairing code names AES-256-GCM when its app cannot do ChaCha20 (WebCrypto in browsers).
    public enum AEAD: String, Sendable, Hashable, Codable, CaseIterable {
        case chaCha20Poly1305 = "chacha20-poly1305"
        case aes256GCM = "aes-256-gcm"

        var suite: HPKE.Ciphersuite {
            switch self {
            case .chaCha20Poly1305: .Curve25519_SHA256_ChachaPoly
            case .aes256GCM: HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_256)
            }
        }

        /// Seals one response frame: ciphertext followed by the 16-byte tag.
        func seal(_ plaintext: [UInt8], key: SymmetricKey, nonce: [UInt8], aad: Data) -> [UInt8] {
            // A 12-byte nonce made from a counter never repeats under one key.
            switch self {
            case .chaCha20Poly1305:
                let box = try! ChaChaPoly.seal(
                    plaintext,
                    using: key,
                    nonce: ChaChaPoly.Nonce(data: nonce),
                    authenticating: aad
                )
                return Array(box.ciphertext + box.tag)
            case .aes256GCM:
                let box = try! AES.GCM.seal(
                    plaintext,
                    using: key,
                    nonce: AES.GCM.Nonce(data: nonce),
                    authenticating: aad
                )
                return Array(box.ciphertext + box.tag)
            }
        }

        /// Opens what ``seal(_:key:nonce:aad:)`` made. - Throws: when it was altered or sealed otherwise.
        func open(_ sealed: [UInt8], key: SymmetricKey, nonce: [UInt8], aad: Data) throws -> [UInt8] {
            guard sealed.count >= 16 else { throw ByokyError.sealingFailed }
            let body = sealed.dropLast(16)
            let tag = sealed.suffix(16)
            switch self {
            case .chaCha20Poly1305:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: body, tag: tag)
                return Array(try ChaChaPoly.open(box, using: key, authenticating: aad))
            case .aes256GCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: body, tag: tag)
                return Array(try AES.GCM.open(box, using: key, authenticating: aad))
            }
        }
    }

    static let responseContext = Data("byoky relay v2 response".utf8)
    static let pskIdentifier = Data("byoky pairing".utf8)

    /// The `info` of a room's HPKE contexts.
    static func info(roomID: String) -> Data { Data("byoky relay v2 room \(roomID)".utf8) }

    /// The version 2 room id for a sender key: `v2_` and the base64url SHA-256 of the key, so
    /// only whoever holds the key can prove to be the room's sender.
    public static func roomID(senderKey: String) -> String {
        "v2_" + Base64.encodeURLSafe(Array(SHA256.hash(data: Array(senderKey.utf8))))
    }

    /// A new wallet key pair: the private key's raw bytes (a secret) and the public key's, both base64url.
    public static func generateKeyPair() -> (privateKey: String, publicKey: String) {
        let key = Curve25519.KeyAgreement.PrivateKey()
        return (Base64.encodeURLSafe(key.rawRepresentation), Base64.encodeURLSafe(key.publicKey.rawRepresentation))
    }

    /// The wallet's proof, in a version 2 pairing, that it read the pairing code: HMAC-SHA256 of its
    /// public key under the code's pre-shared key (base64url). A relay that swapped in its own key
    /// cannot make one.
    public static func pairingProof(publicKey: String, presharedKey: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Array("byoky pairing hello \(publicKey)".utf8),
            using: SymmetricKey(data: presharedKey)
        )
        return Base64.encodeURLSafe(Array(mac))
    }

    /// Whether `proof` is the right one for `publicKey` (compared in constant time).
    public static func verifyPairingProof(_ proof: String, publicKey: String, presharedKey: [UInt8]) -> Bool {
        ConstantTime.equals(
            Array(pairingProof(publicKey: publicKey, presharedKey: presharedKey).utf8),
            Array(proof.utf8)
        ) && isPublicKey(publicKey)
    }

    /// Whether `text` is a base64url X25519 public key.
    public static func isPublicKey(_ text: String) -> Bool {
        Base64.decodeURLSafe(text).flatMap { try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: $0) } != nil
    }

    /// The requester's side: seals `plaintext` (a whole `relay:request` frame) to `publicKey`.
    ///
    /// - Returns: the encapsulated key and ciphertext (base64url) for the `relay:request:sealed`
    ///   frame, and the opener for the answer's frames.
    /// - Throws: ``ByokyError`` `DECRYPT_FAILED` for a malformed public key.
    public static func sealRequest(
        _ plaintext: [UInt8],
        to publicKey: String,
        roomID: String,
        requestID: String,
        presharedKey: [UInt8]? = nil,
        aead: AEAD = .chaCha20Poly1305
    ) throws -> (encapsulatedKey: String, ciphertext: String, opener: ResponseOpener) {
        do {
            guard let raw = Base64.decodeURLSafe(publicKey) else { throw ByokyError.sealingFailed }
            let recipient = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw)
            var sender: HPKE.Sender
            if let presharedKey {
                sender = try HPKE.Sender(
                    recipientKey: recipient,
                    ciphersuite: aead.suite,
                    info: info(roomID: roomID),
                    presharedKey: SymmetricKey(data: presharedKey),
                    presharedKeyIdentifier: pskIdentifier
                )
            } else {
                sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: aead.suite, info: info(roomID: roomID))
            }
            let ciphertext = try sender.seal(plaintext)
            let key = try sender.exportSecret(context: responseContext, outputByteCount: 32)
            return (
                Base64.encodeURLSafe(sender.encapsulatedKey), Base64.encodeURLSafe(ciphertext),
                ResponseOpener(key: key, requestID: requestID, aead: aead)
            )
        } catch let error as ByokyError {
            throw error
        } catch {
            throw ByokyError.sealingFailed
        }
    }

    /// A request opened by the wallet.
    public struct OpenedRequest: Sendable {
        /// The request frame's bytes.
        public let plaintext: [UInt8]
        let responseKey: SymmetricKey
        let aead: AEAD

        /// The sealer for the answer to the request with this (inner, untagged) id.
        public func sealer(requestID: String) -> ResponseSealer {
            ResponseSealer(key: responseKey, requestID: requestID, aead: aead)
        }
    }

    /// The wallet's side: opens a sealed request with its private key.
    ///
    /// - Throws: ``ByokyError`` `DECRYPT_FAILED` when the frame was not sealed to this key, for this
    ///   room, with this pre-shared key, or was altered.
    public static func openRequest(
        encapsulatedKey: String,
        ciphertext: String,
        privateKey: String,
        roomID: String,
        presharedKey: [UInt8]? = nil,
        aead: AEAD = .chaCha20Poly1305
    ) throws -> OpenedRequest {
        do {
            guard let rawKey = Base64.decodeURLSafe(privateKey), let enc = Base64.decodeURLSafe(encapsulatedKey),
                let sealed = Base64.decodeURLSafe(ciphertext)
            else { throw ByokyError.sealingFailed }
            let key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawKey)
            var recipient: HPKE.Recipient
            if let presharedKey {
                recipient = try HPKE.Recipient(
                    privateKey: key,
                    ciphersuite: aead.suite,
                    info: info(roomID: roomID),
                    encapsulatedKey: Data(enc),
                    presharedKey: SymmetricKey(data: presharedKey),
                    presharedKeyIdentifier: pskIdentifier
                )
            } else {
                recipient = try HPKE.Recipient(
                    privateKey: key,
                    ciphersuite: aead.suite,
                    info: info(roomID: roomID),
                    encapsulatedKey: Data(enc)
                )
            }
            let plaintext = try recipient.open(sealed)
            let responseKey = try recipient.exportSecret(context: responseContext, outputByteCount: 32)
            return OpenedRequest(plaintext: Array(plaintext), responseKey: responseKey, aead: aead)
        } catch {
            throw ByokyError.sealingFailed
        }
    }

    /// Seals the answer's frames, numbering them from 0.
    public struct ResponseSealer: Sendable {
        let key: SymmetricKey
        let requestID: String
        let aead: AEAD
        private var next: UInt64 = 0

        init(key: SymmetricKey, requestID: String, aead: AEAD) {
            self.key = key
            self.requestID = requestID
            self.aead = aead
        }

        /// Seals one frame; returns its sequence number and base64url ciphertext.
        public mutating func seal(_ plaintext: [UInt8]) -> (sequence: Int, ciphertext: String) {
            let sequence = next
            next += 1
            let sealed = aead.seal(plaintext, key: key, nonce: RelaySealing.nonce(sequence), aad: Data(requestID.utf8))
            return (Int(sequence), Base64.encodeURLSafe(sealed))
        }
    }

    /// Opens the answer's frames, which must arrive in order.
    public struct ResponseOpener: Sendable {
        let key: SymmetricKey
        let requestID: String
        let aead: AEAD
        private var next: UInt64 = 0

        init(key: SymmetricKey, requestID: String, aead: AEAD) {
            self.key = key
            self.requestID = requestID
            self.aead = aead
        }

        /// Opens frame `sequence`. - Throws: ``ByokyError`` `DECRYPT_FAILED` for a frame out of
        /// order, for another request, or altered.
        public mutating func open(sequence: Int, ciphertext: String) throws -> [UInt8] {
            guard sequence >= 0, UInt64(sequence) == next, let bytes = Base64.decodeURLSafe(ciphertext) else {
                throw ByokyError.sealingFailed
            }
            do {
                let plaintext = try aead.open(
                    bytes,
                    key: key,
                    nonce: RelaySealing.nonce(next),
                    aad: Data(requestID.utf8)
                )
                next += 1
                return plaintext
            } catch {
                throw ByokyError.sealingFailed
            }
        }
    }

    /// The 12-byte nonce of response frame `sequence`: the number, big-endian, in the last 8 bytes.
    static func nonce(_ sequence: UInt64) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[11 - index] = UInt8(truncatingIfNeeded: sequence >> (8 * UInt64(index))) }
        return bytes
    }
}

extension ByokyError {
    /// A sealed relay frame that does not open (wrong key, altered, replayed or out of order).
    static var sealingFailed: ByokyError {
        ByokyError(.decryptFailed, "An end-to-end encrypted relay frame did not open")
    }
}
