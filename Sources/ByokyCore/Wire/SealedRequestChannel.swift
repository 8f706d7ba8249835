import Synchronization

/// The requester's side of end-to-end sealed relay requests (a gift receiver, a paired app):
/// seals each request to the wallet's public key and opens the answer's frames in order.
///
/// One opener per request lives from the request until its last answer frame; ``forget(_:)``
/// drops one early (a cancelled request).
public final class SealedRequestChannel: Sendable {
    public let publicKey: String
    public let roomID: String
    private let presharedKey: [UInt8]?
    private let aead: RelaySealing.AEAD
    private let openers = Mutex<[String: RelaySealing.ResponseOpener]>([:])

    public init(
        publicKey: String,
        roomID: String,
        presharedKey: [UInt8]? = nil,
        aead: RelaySealing.AEAD = .chaCha20Poly1305
    ) {
        self.publicKey = publicKey
        self.roomID = roomID
        self.presharedKey = presharedKey
        self.aead = aead
    }

    /// The `relay:request:sealed` frame for `request`. - Throws: ``ByokyError`` `DECRYPT_FAILED`
    /// for a malformed public key.
    public func seal(_ request: RelayRequest) throws -> RelayMessage {
        let sealed = try RelaySealing.sealRequest(
            RelayMessage.request(request).encoded(),
            to: publicKey,
            roomID: roomID,
            requestID: request.requestID,
            presharedKey: presharedKey,
            aead: aead
        )
        openers.withLock { $0[request.requestID] = sealed.opener }
        return .sealedRequest(
            requestID: request.requestID,
            encapsulatedKey: sealed.encapsulatedKey,
            ciphertext: sealed.ciphertext
        )
    }

    /// Opens one `relay:response:sealed` frame into the answer frame it carries; `nil` for a
    /// request this channel does not know (finished or forgotten).
    ///
    /// - Throws: ``ByokyError`` `DECRYPT_FAILED` (forged, reordered or replayed frame) or
    ///   `INVALID_FRAME` (it opened but is not an answer to this request); the request is forgotten.
    public func open(requestID: String, sequence: Int, ciphertext: String) throws -> RelayMessage? {
        let opened: Result<[UInt8], any Error>? = openers.withLock { openers in
            guard var opener = openers[requestID] else { return nil }
            defer { openers[requestID] = opener }
            return Result { try opener.open(sequence: sequence, ciphertext: ciphertext) }
        }
        guard let opened else { return nil }
        do {
            let plaintext = try opened.get()
            guard let inner = try? RelayMessage.parse(plaintext, maximumSize: RelayMessage.relayMaximumFrameSize),
                inner.answerRequestID == requestID
            else { throw ByokyError(.invalidFrame, "The wallet sent a malformed sealed frame") }
            switch inner {
            case .responseDone, .responseError: forget(requestID)
            default: break
            }
            return inner
        } catch {
            forget(requestID)
            throw error as? ByokyError ?? ByokyError(.decryptFailed, "A sealed relay frame did not open")
        }
    }

    /// Drops a request's opener.
    public func forget(_ requestID: String) {
        openers.withLock { _ = $0.removeValue(forKey: requestID) }
    }

    /// Drops every opener.
    public func clear() {
        openers.withLock { $0.removeAll() }
    }
}
