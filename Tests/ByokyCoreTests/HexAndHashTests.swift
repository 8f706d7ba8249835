import ByokyCore
import Crypto
import Testing

struct HexAndHashTests {
    @Test func hexRoundTripsAndRejectsBadInput() {
        #expect(Hex.encode([0, 15, 255]) == "000fff")
        #expect(Hex.decode("000FfF") == [0, 15, 255])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    @Test func hexSpellsEveryByteTheSameWayWhateverHoldsIt() {
        let bytes = (0...255).map { UInt8($0) }
        let expected = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        #expect(Hex.encode(bytes) == expected)
        #expect(bytes.withUnsafeBytes { Hex.encode($0) } == expected)
        // A sequence without contiguous storage takes the copying path.
        #expect(Hex.encode(bytes.lazy.map { $0 }) == expected)
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.decode(expected) == bytes)
    }

    @Test func sha256HexMatchesTheStandardVectors() {
        // FIPS 180-2 examples, and a text whose bytes are not ASCII.
        #expect(SecureHash.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecureHash.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SecureHash.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        let bridged = "sk-byoky-ä" + String(repeating: "x", count: 100)
        #expect(SecureHash.sha256Hex(bridged) == Hex.encode(SHA256.hash(data: Array(bridged.utf8))))
    }
}
