import ByokyCore
import ByokyTesting
import Foundation
import Testing

/// The browser SDK's end-to-end sealing (`Web/sdk/relay-sealing.js`, HPKE on WebCrypto) against
/// the wallet's (swift-crypto), both ways: what a page seals the wallet opens, what the wallet
/// seals the page opens, and anything altered, reordered or sealed otherwise does not open.
/// Node runs the SDK's own modules (`Tests/Interop/relay_sealing_worker.mjs`).
@Suite(.timeLimit(.minutes(3)))
struct BrowserSealingInteropTests {
    static let node = ["/usr/bin/node", "/usr/local/bin/node"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
    static var isEnabled: Bool { node != nil || PythonInterop.isCI }

    let room = "5d1f0c52-8b7e-4e59-9d4a-0d5c7e1f2a3b"
    let psk = SecureRandom.bytes(32)

    /// The page's side, in Node.
    final class Page: Sendable {
        let worker: LineWorker

        init() throws {
            let node = try #require(BrowserSealingInteropTests.node, "node is not installed (scripts/setup-tools.sh)")
            worker = try LineWorker(
                interpreter: URL(fileURLWithPath: node),
                arguments: [PythonInterop.scriptsFolder.appendingPathComponent("relay_sealing_worker.mjs").path]
            )
        }

        func call(_ request: [String: Any]) async throws -> [String: Any] {
            let line = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
            let worker = self.worker
            let answer = try await OffPool.run { try worker.call(line) }
            let object = try #require(try JSONSerialization.jsonObject(with: Data(answer.utf8)) as? [String: Any])
            if let error = object["error"] { Issue.record("the page failed: \(error)") }
            return object
        }

        deinit { worker.terminate() }
    }

    func request(_ id: String) -> [UInt8] {
        RelayMessage.request(
            RelayRequest(
                requestID: id,
                provider: .anthropic,
                url: "https://api.anthropic.com/v1/messages",
                method: "POST",
                headers: ["content-type": "application/json"],
                body: #"{"messages":[{"role":"user","content":"a secret prompt ✓"}]}"#
            )
        ).encoded()
    }

    @Test(.enabled(if: isEnabled))
    func whatAPageSealsTheWalletOpensAndTheAnswerComesBack() async throws {
        let page = try Page()
        let wallet = RelaySealing.generateKeyPair()
        let frame = request("p1")
        let sealed = try await page.call([
            "op": "seal", "publicKey": wallet.publicKey, "roomId": room, "psk": Base64.encode(psk),
            "requestId": "p1", "frame": Base64.encode(frame),
        ])
        let enc = try #require(sealed["enc"] as? String)
        let ct = try #require(sealed["ct"] as? String)
        #expect(!ct.contains("secret"))
        func open(
            psk: [UInt8]?,
            aead: RelaySealing.AEAD = .aes256GCM,
            room: String? = nil
        ) throws
            -> RelaySealing.OpenedRequest
        {
            try RelaySealing.openRequest(
                encapsulatedKey: enc,
                ciphertext: ct,
                privateKey: wallet.privateKey,
                roomID: room ?? self.room,
                presharedKey: psk,
                aead: aead
            )
        }
        let opened = try open(psk: psk)
        #expect(opened.plaintext == frame)
        // Sealed for this room, with this pre-shared key and cipher only.
        #expect(throws: ByokyError.self) { try open(psk: SecureRandom.bytes(32)) }
        #expect(throws: ByokyError.self) { try open(psk: nil) }
        #expect(throws: ByokyError.self) { try open(psk: psk, aead: .chaCha20Poly1305) }
        #expect(throws: ByokyError.self) { try open(psk: psk, room: "another-room") }

        var sealer = opened.sealer(requestID: "p1")
        let answers = [#"{"type":"relay:response:meta"}"#, "data: chunk ✓\n\n", #"{"type":"relay:response:done"}"#]
        let frames = answers.map { sealer.seal(Array($0.utf8)) }
        let result = try await page.call([
            "op": "openAnswer", "requestId": "p1",
            "frames": frames.map { ["seq": $0.sequence, "ct": $0.ciphertext] as [String: Any] },
        ])
        let plaintexts = try #require(result["plaintexts"] as? [String])
        #expect(plaintexts.map { Base64.decode($0).map { String(decoding: $0, as: UTF8.self) } } == answers)
    }

    @Test(.enabled(if: isEnabled))
    func answersOutOfOrderAlteredOrForAnotherRequestDoNotOpenInThePage() async throws {
        let page = try Page()
        let wallet = RelaySealing.generateKeyPair()
        var sealers: [String: RelaySealing.ResponseSealer] = [:]
        for id in ["a", "b"] {
            let sealed = try await page.call([
                "op": "seal", "publicKey": wallet.publicKey, "roomId": room, "psk": Base64.encode(psk),
                "requestId": id, "frame": Base64.encode(request(id)),
            ])
            let opened = try RelaySealing.openRequest(
                encapsulatedKey: try #require(sealed["enc"] as? String),
                ciphertext: try #require(sealed["ct"] as? String),
                privateKey: wallet.privateKey,
                roomID: room,
                presharedKey: psk,
                aead: .aes256GCM
            )
            sealers[id] = opened.sealer(requestID: id)
        }
        let first = sealers["a"]!.seal(Array("first".utf8))
        let second = sealers["a"]!.seal(Array("second".utf8))
        let foreign = sealers["b"]!.seal(Array("for b".utf8))
        var altered = Array(Base64.decodeURLSafe(first.ciphertext)!)
        altered[0] ^= 1
        let cases: [(String, [[String: Any]])] = [
            ("reordered", [["seq": 1, "ct": second.ciphertext]]),
            ("altered", [["seq": 0, "ct": Base64.encodeURLSafe(altered)]]),
            ("another request's", [["seq": 0, "ct": foreign.ciphertext]]),
        ]
        for (name, frames) in cases {
            let result = try await page.call(["op": "openAnswer", "requestId": "a", "frames": frames])
            let first = (result["plaintexts"] as? [Any])?.first
            #expect((first as? [String: Any])?["error"] != nil, "a \(name) frame opened")
        }
        // The untouched frames still open in order.
        let result = try await page.call([
            "op": "openAnswer", "requestId": "a",
            "frames": [["seq": 0, "ct": first.ciphertext], ["seq": 1, "ct": second.ciphertext]],
        ])
        #expect((result["plaintexts"] as? [String])?.count == 2)
    }

    @Test(.enabled(if: isEnabled))
    func whatTheWalletSealsAPageOpens() async throws {
        let page = try Page()
        let walletKey = try #require(try await page.call(["op": "walletKey"])["publicKey"] as? String)
        let frame = request("w1")
        var sealed = try RelaySealing.sealRequest(
            frame,
            to: walletKey,
            roomID: room,
            requestID: "w1",
            presharedKey: psk,
            aead: .aes256GCM
        )
        let answers = ["meta", "chunk ✓", "done"]
        let result = try await page.call([
            "op": "openRequest", "enc": sealed.encapsulatedKey, "ct": sealed.ciphertext, "roomId": room,
            "psk": Base64.encode(psk), "requestId": "w1", "answers": answers.map { Base64.encode(Array($0.utf8)) },
        ])
        #expect((result["plaintext"] as? String).flatMap(Base64.decode) == frame)
        let frames = try #require(result["frames"] as? [[String: Any]])
        var opened: [String] = []
        for frame in frames {
            let bytes = try sealed.opener.open(
                sequence: try #require(frame["seq"] as? Int),
                ciphertext: try #require(frame["ct"] as? String)
            )
            opened.append(String(decoding: bytes, as: UTF8.self))
        }
        #expect(opened == answers)
    }

    @Test(.enabled(if: isEnabled))
    func pairingProofsAgree() async throws {
        let page = try Page()
        let wallet = RelaySealing.generateKeyPair()
        let proof = RelaySealing.pairingProof(publicKey: wallet.publicKey, presharedKey: psk)
        let result = try await page.call([
            "op": "proof", "publicKey": wallet.publicKey, "psk": Base64.encode(psk), "proof": proof,
        ])
        #expect(result["proof"] as? String == proof)
        #expect(result["verified"] as? Bool == true)
        let forged = RelaySealing.pairingProof(publicKey: wallet.publicKey, presharedKey: SecureRandom.bytes(32))
        let refused = try await page.call([
            "op": "proof", "publicKey": wallet.publicKey, "psk": Base64.encode(psk), "proof": forged,
        ])
        #expect(refused["verified"] as? Bool == false)
    }
}
