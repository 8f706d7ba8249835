package import ByokyCore
import Synchronization

/// The wallet's side of end-to-end sealed relay requests: opens each one with the wallet's
/// private key (and a pairing's pre-shared key), refuses replays, and seals every answer frame.
package struct SealedRequestServer: Sendable {
    package let privateKey: SecretString
    package let roomID: String
    package let presharedKey: [UInt8]?
    package var aead: RelaySealing.AEAD = .chaCha20Poly1305
    package let replays: ReplayGuard

    package init(
        privateKey: SecretString,
        roomID: String,
        presharedKey: [UInt8]?,
        aead: RelaySealing.AEAD = .chaCha20Poly1305,
        replays: ReplayGuard
    ) {
        self.privateKey = privateKey
        self.roomID = roomID
        self.presharedKey = presharedKey
        self.aead = aead
        self.replays = replays
    }

    /// Opens a sealed request whose outer (relay-tagged) id is `requestID`.
    ///
    /// - Returns: the request and a function that sends one answer frame sealed, or `nil` after
    ///   sending an error frame in the clear (nothing can be sealed to a requester whose frame did
    ///   not open).
    package func open(
        requestID: String,
        encapsulatedKey: String,
        ciphertext: String,
        send: @escaping @Sendable (RelayMessage) -> Void
    ) -> (request: RelayRequest, sendSealed: @Sendable (RelayMessage) -> Void)? {
        // A request the relay replays (same encapsulated key) is refused, so it cannot run twice.
        guard replays.firstUse(encapsulatedKey) else {
            send(
                RelayResponder.errorFrame(
                    requestID: requestID,
                    ByokyError(.invalidFrame, "A replayed request was refused")
                )
            )
            return nil
        }
        do {
            let opened = try RelaySealing.openRequest(
                encapsulatedKey: encapsulatedKey,
                ciphertext: ciphertext,
                privateKey: privateKey.exposedValue,
                roomID: roomID,
                presharedKey: presharedKey,
                aead: aead
            )
            // The relay tags the outer id (`r:<peer>:<id>`); the sealed one is the requester's own.
            guard
                case .request(let request)? = try? RelayMessage.parse(
                    opened.plaintext,
                    maximumSize: RelayMessage.relayMaximumFrameSize
                ), requestID == request.requestID || requestID.hasSuffix(":" + request.requestID)
            else { throw ByokyError(.invalidFrame, "The sealed frame is not this request") }
            let sealer = Mutex(opened.sealer(requestID: request.requestID))
            return (
                request,
                { frame in
                    let (sequence, sealed) = sealer.withLock { $0.seal(frame.encoded()) }
                    send(.sealedResponse(requestID: requestID, sequence: sequence, ciphertext: sealed))
                }
            )
        } catch {
            send(RelayResponder.errorFrame(requestID: requestID, error))
            return nil
        }
    }
}
