import ByokyTesting
import Testing

@testable import ByokyCore

/// The end of a plain run found eight bytes at a time is where a byte-by-byte scan finds it:
/// every byte value in every position of a word, and seeded random text of every length.
struct JSONPlainRunTests {
    static func byteByByte(_ bytes: [UInt8], from start: Int) -> Int {
        bytes[start...].firstIndex { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") } ?? bytes.count
    }

    static func end(_ bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBytes { JSONPlainRun.end(in: $0, from: start) }
    }

    @Test func everyByteValueInEveryPlaceOfAWordIsSeen() {
        for value in UInt8.min...UInt8.max {
            for place in 0..<24 {
                // Plain bytes around it, including the bytes next to the special ones in value.
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 24)
                for index in bytes.indices where index != place {
                    bytes[index] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xFF][index % 8]
                }
                bytes[place] = value
                for start in [0, 1, 7, 8, place] where start <= bytes.count {
                    #expect(Self.end(bytes, from: start) == Self.byteByByte(bytes, from: start), "\(value) at \(place)")
                }
            }
        }
    }

    @Test func randomTextEndsWhereAByteScanEnds() {
        var random = SeededGenerator(seed: 0x5EED_0F_0042)
        // Mostly plain text, UTF-8 bytes above 0x7F, now and then a byte that ends a run.
        let alphabet: [UInt8] = Array(0x20...0x7E) + [0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F]
        let ending: [UInt8] = [UInt8(ascii: "\""), UInt8(ascii: "\\"), 0x00, 0x0A, 0x1F, 0x09]
        for length in 0..<200 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ in
                    Int.random(in: 0..<40, using: &random) == 0
                        ? ending.randomElement(using: &random)! : alphabet.randomElement(using: &random)!
                }
                let start = length == 0 ? 0 : Int.random(in: 0...length, using: &random)
                #expect(Self.end(bytes, from: start) == Self.byteByByte(bytes, from: start))
            }
        }
    }
}
