import ByokyCore
import Testing

/// Random bytes come up to 256 to a draw: every length is exact, and every position, a last
/// partial draw's included, is filled from the generator (not left at zero or repeated).
struct SecureRandomTests {
    @Test(arguments: [0, 1, 7, 8, 9, 12, 16, 31, 32, 33, 255, 256, 257, 4096])
    func everyLengthIsExact(count: Int) {
        #expect(SecureRandom.bytes(count).count == count)
        #expect(SecureRandom.hexToken(byteCount: count).count == count * 2)
    }

    @Test func everyPositionVaries() {
        // 300 bytes: a whole draw and a partial one. Over 64 draws a position that is filled at
        // random takes more than one value with overwhelming likelihood (all alike: 2^-504).
        let draws = (0..<64).map { _ in SecureRandom.bytes(300) }
        for position in 0..<300 {
            #expect(Set(draws.map { $0[position] }).count > 1, "position \(position)")
        }
        #expect(Set(draws).count == draws.count)
    }
}
