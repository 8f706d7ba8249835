import Testing

@testable import ByokyCore
@testable import ByokySDK

/// Relay framing details: text never cut inside a character, binary bodies, our added frames.
@Suite struct RelayFramingTests {
    @Test func textIsNeverCutInsideACharacter() {
        let text = "naïve café — 日本語 😀 done"
        let bytes = Array(text.utf8)
        for split in 1..<bytes.count {
            var carry = UTF8Carry()
            let first = carry.text(for: bytes[..<split]) ?? "?"
            let second = carry.text(for: bytes[split...]) ?? "?"
            #expect(first + second == text, "split at \(split)")
            #expect(carry.takePendingBytes().isEmpty)
        }
    }

    @Test func bytesThatAreNotUTF8SwitchToBinary() {
        var carry = UTF8Carry()
        #expect(carry.text(for: Array("PNG".utf8)) == "PNG")
        #expect(carry.text(for: [0x89, 0xFF, 0x00, 0x41]) == nil)
        #expect(carry.isBinary)
        #expect(carry.takePendingBytes() == [0x89, 0xFF, 0x00, 0x41])
        #expect(carry.text(for: Array("more".utf8)) == nil)
        #expect(carry.takePendingBytes() == Array("more".utf8))
    }

    @Test func addedFramesRoundTrip() throws {
        let binary: [UInt8] = [0, 1, 2, 0xFF, 0xFE]
        let frames: [RelayMessage] = [
            .hello(sessionID: "relay_1", providers: nil, correlationID: "user-9"),
            .responseData(requestID: "r1", bytes: binary),
            .requestCancel(requestID: "r1"),
            .request(
                RelayRequest(
                    requestID: "r2",
                    provider: .openai,
                    url: "https://api.openai.com/v1/x",
                    method: "POST",
                    bodyBytes: binary
                )
            ),
        ]
        for frame in frames {
            #expect(try RelayMessage.parse(frame.encoded()) == frame)
        }
        guard case .request(let request) = try RelayMessage.parse(frames[3].encoded()) else {
            Issue.record("not a request")
            return
        }
        #expect(request.bodyEncoding == "base64")
        #expect(request.bodyBytes == binary)
        let text = RelayRequest(
            requestID: "r3",
            provider: .openai,
            url: "u",
            method: "POST",
            bodyBytes: Array("{\"a\":1}".utf8)
        )
        #expect(text.body == "{\"a\":1}")
        #expect(text.bodyEncoding == nil)
        #expect(throws: RelayFrameError.self) {
            try RelayMessage.parse(#"{"type":"relay:response:chunk","requestId":"r","chunk":"!!","encoding":"base64"}"#)
        }
    }
}

extension RelayFramingTests {
    @Test func bodyFramerSendsTextThenBytesThenDone() {
        var framer = RelayBodyFramer(requestID: "r1")
        let euro = Array("€".utf8)
        #expect(framer.frame(for: Array("a".utf8) + euro.prefix(1)) == .responseChunk(requestID: "r1", chunk: "a"))
        #expect(framer.frame(for: euro.dropFirst()) == .responseChunk(requestID: "r1", chunk: "€"))
        // A byte that can never be UTF-8 switches to bytes at once; the rest of the body follows as bytes.
        #expect(framer.frame(for: [0xFF]) == .responseData(requestID: "r1", bytes: [0xFF]))
        #expect(framer.frame(for: [0x41]) == .responseData(requestID: "r1", bytes: [0x41]))
        #expect(framer.finish() == [.responseDone(requestID: "r1")])
        // A lead byte at the end of a text chunk is held for the next one.
        var held = RelayBodyFramer(requestID: "r2")
        #expect(held.frame(for: [0x41, 0xC3]) == .responseChunk(requestID: "r2", chunk: "A"))
        #expect(held.finish() == [.responseData(requestID: "r2", bytes: [0xC3]), .responseDone(requestID: "r2")])
    }
}
