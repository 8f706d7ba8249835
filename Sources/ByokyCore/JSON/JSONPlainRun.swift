/// Finds where a run of bytes that a JSON string holds as they are ends: the first quote,
/// backslash or control character (below 0x20), eight bytes at a time.
///
/// Each word of eight bytes is tested whole (the "has a byte below n" and "has a zero byte" bit
/// tricks, exact for whether the word has such a byte at all); only a word that has one is read
/// byte by byte. Strings in provider JSON are mostly plain text, so most words pass in a few
/// instructions instead of eight rounds of three comparisons.
package enum JSONPlainRun {
    /// The index of the first byte at or after `start` that ends a plain run (`"`, `\`, or a
    /// control character), or `bytes.count` when there is none.
    package static func end(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        let count = bytes.count
        while count &- index >= 8 {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            if mayEnd(word) { break }
            index &+= 8
        }
        while index < count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index &+= 1
        }
        return count
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether any of the word's eight bytes is a quote, a backslash or below 0x20.
    @inline(__always)
    static func mayEnd(_ word: UInt64) -> Bool {
        let control = (word &- ones &* 0x20) & ~word & highBits
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let quoteFound = (quote &- ones) & ~quote & highBits
        let backslashFound = (backslash &- ones) & ~backslash & highBits
        return (control | quoteFound | backslashFound) != 0
    }
}
