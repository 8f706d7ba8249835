import ByokyTesting
import Testing

@testable import ByokyCore

/// Text made in place is the text decoding makes: every length around the inline limit, plain,
/// multi-byte, and invalid UTF-8 (repaired the same way).
struct StringUTF8BytesTests {
    @Test func madeInPlaceIsWhatDecodingMakes() {
        var random = SeededGenerator(seed: 0x0075_7466_38)
        let alphabet: [UInt8] =
            Array(0x20...0x7E) + [0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x99, 0x82, 0xFF, 0x80, 0x00]
        for length in 0...40 {
            for _ in 0..<200 {
                let bytes = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
                bytes.withUnsafeBytes { raw in
                    let made = String(utf8Bytes: raw)
                    let decoded = String(decoding: raw, as: UTF8.self)
                    #expect(made == decoded)
                    #expect(Array(made.utf8) == Array(decoded.utf8))
                }
            }
        }
    }
}
