import Testing

@testable import ByokyWallet

/// Translated requests' ids are 24 lower-case hex characters, none repeated, across refills of
/// their pool of random bytes (341 ids a refill), and not counters: every character varies.
struct TranslationRequestIDTests {
    @Test func idsAreRandomHexAcrossRefills() {
        let ids = (0..<1_500).map { _ in TranslationRequestID.next() }
        #expect(ids.allSatisfy { $0.utf8.count == 24 && $0.utf8.allSatisfy { "0123456789abcdef".utf8.contains($0) } })
        #expect(Set(ids).count == ids.count)
        for position in 0..<24 {
            let characters = Set(ids.map { Array($0.utf8)[position] })
            #expect(characters.count > 8, "position \(position)")
        }
    }
}
