import Testing

@testable import ByokyWallet

/// Audit-log ids sort in the order they were made (the log's primary-key index grows at one end;
/// entries of one millisecond list in order).
@Suite struct LogEntryIDTests {
    @Test func idsSortAsTheyWereMadeAcrossEveryNewDigit() {
        let numbers = [1, 2, 9, 10, 11, 99, 100, 101, 999, 1_000, 65_535, 99_999, 100_000, 999_999_999_999]
        let ids = numbers.map(LogEntryID.make(number:))
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map(\.utf8.count)).count == 1)
        #expect(ids[3].hasSuffix("-000000000010"))
        #expect(ids[0].hasPrefix("log-"))
    }

    @Test func nextIdsAreUniqueAndIncreasing() {
        let ids = (0..<2_000).map { _ in LogEntryID.next() }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }
}
