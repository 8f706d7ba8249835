import ByokyCore
import Testing

@Suite struct RelaySealingTests {
    let room = RelaySealing.roomID(senderKey: "sender-key")

    @Test(arguments: RelaySealing.AEAD.allCases)
    func aSealedRequestAndItsAnswerOpenOnlyForTheirEnds(aead: RelaySealing.AEAD) throws {
        let wallet = RelaySealing.generateKeyPair()
        let request = Array(#"{"type":"relay:request","requestId":"r1","body":"secret prompt"}"#.utf8)
        var sealed = try RelaySealing.sealRequest(
            request,
            to: wallet.publicKey,
            roomID: room,
            requestID: "r1",
            aead: aead
        )
        #expect(!sealed.ciphertext.contains("secret"))
        let opened = try RelaySealing.openRequest(
            encapsulatedKey: sealed.encapsulatedKey,
            ciphertext: sealed.ciphertext,
            privateKey: wallet.privateKey,
            roomID: room,
            aead: aead
        )
        #expect(opened.plaintext == request)
        var sealer = opened.sealer(requestID: "r1")

        let first = sealer.seal(Array("meta".utf8))
        let second = sealer.seal(Array("chunk".utf8))
        #expect((first.sequence, second.sequence) == (0, 1))
        // Out of order fails, and a failed frame does not advance the opener.
        #expect(throws: ByokyError.self) { try sealed.opener.open(sequence: 1, ciphertext: second.ciphertext) }
        #expect(try sealed.opener.open(sequence: 0, ciphertext: first.ciphertext) == Array("meta".utf8))
        #expect(try sealed.opener.open(sequence: 1, ciphertext: second.ciphertext) == Array("chunk".utf8))
        // Replaying a frame fails.
        #expect(throws: ByokyError.self) { try sealed.opener.open(sequence: 1, ciphertext: second.ciphertext) }
    }

    @Test(arguments: RelaySealing.AEAD.allCases)
    func theWrongKeyRoomPresharedKeyOrCipherFailsToOpen(aead: RelaySealing.AEAD) throws {
        let wallet = RelaySealing.generateKeyPair()
        let other = RelaySealing.generateKeyPair()
        let psk = SecureRandom.bytes(32)
        let sealed = try RelaySealing.sealRequest(
            Array("hello".utf8),
            to: wallet.publicKey,
            roomID: room,
            requestID: "r1",
            presharedKey: psk,
            aead: aead
        )
        func open(
            key: String = wallet.privateKey,
            room: String? = nil,
            psk: [UInt8]?,
            cipher: RelaySealing.AEAD? = nil
        ) throws {
            _ = try RelaySealing.openRequest(
                encapsulatedKey: sealed.encapsulatedKey,
                ciphertext: sealed.ciphertext,
                privateKey: key,
                roomID: room ?? self.room,
                presharedKey: psk,
                aead: cipher ?? aead
            )
        }
        try open(psk: psk)
        for otherCipher in RelaySealing.AEAD.allCases where otherCipher != aead {
            #expect(throws: ByokyError.self) { try open(psk: psk, cipher: otherCipher) }
        }
        #expect(throws: ByokyError.self) { try open(key: other.privateKey, psk: psk) }
        #expect(throws: ByokyError.self) { try open(room: "v2_other", psk: psk) }
        #expect(throws: ByokyError.self) { try open(psk: nil) }
        #expect(throws: ByokyError.self) { try open(psk: SecureRandom.bytes(32)) }
        let error = try? #require(throws: ByokyError.self) { try open(psk: nil) }
        #expect(error?.code == .decryptFailed)
        #expect(throws: ByokyError.self) {
            try RelaySealing.sealRequest([1], to: "not-a-key", roomID: room, requestID: "r")
        }
    }

    @Test func anAnswerFrameMovedToAnotherRequestFailsToOpen() throws {
        let wallet = RelaySealing.generateKeyPair()
        var one = try RelaySealing.sealRequest([1], to: wallet.publicKey, roomID: room, requestID: "one")
        let two = try RelaySealing.sealRequest([2], to: wallet.publicKey, roomID: room, requestID: "two")
        let twoOpened = try RelaySealing.openRequest(
            encapsulatedKey: two.encapsulatedKey,
            ciphertext: two.ciphertext,
            privateKey: wallet.privateKey,
            roomID: room
        )
        var sealer = twoOpened.sealer(requestID: "two")
        let frame = sealer.seal([9])
        #expect(throws: ByokyError.self) { try one.opener.open(sequence: frame.sequence, ciphertext: frame.ciphertext) }
    }

    @Test func onlyTheHolderOfThePairingKeyCanProveAPublicKey() {
        let wallet = RelaySealing.generateKeyPair()
        let impostor = RelaySealing.generateKeyPair()
        let psk = SecureRandom.bytes(32)
        let proof = RelaySealing.pairingProof(publicKey: wallet.publicKey, presharedKey: psk)
        #expect(RelaySealing.verifyPairingProof(proof, publicKey: wallet.publicKey, presharedKey: psk))
        // A relay swapping in its own key cannot reuse the proof or make one without the key.
        #expect(!RelaySealing.verifyPairingProof(proof, publicKey: impostor.publicKey, presharedKey: psk))
        let forged = RelaySealing.pairingProof(publicKey: impostor.publicKey, presharedKey: SecureRandom.bytes(32))
        #expect(!RelaySealing.verifyPairingProof(forged, publicKey: impostor.publicKey, presharedKey: psk))
        #expect(!RelaySealing.verifyPairingProof(proof, publicKey: "not-a-key", presharedKey: psk))
    }

    @Test func versionTwoGiftLinksCarryTheRoomAndKeyButNoGiverSecret() throws {
        let keys = RelaySealing.generateKeyPair()
        let link = GiftLink(
            giftID: "g1",
            provider: .anthropic,
            senderLabel: "Ana",
            authToken: "gft_token",
            maxTokens: 1000,
            expiresAt: 4_000_000_000_000,
            relayURL: "ws://127.0.0.1:8787",
            roomID: room,
            publicKey: keys.publicKey
        )
        #expect(link.version == 2)
        let decoded = try #require(GiftLink.decode(link.url()))
        #expect(decoded == link)
        #expect(decoded.validate(nowMilliseconds: 1) == .valid)
        let text = String(decoding: Base64.decodeURLSafe(link.encoded()) ?? [], as: UTF8.self)
        #expect(!text.contains("sender-key") && !text.contains(keys.privateKey))
    }
}
