/// Finds where a run of bytes that a JSON string holds as they are ends: the first quote,
/// backslash or control character (below 0x20), eight bytes at a time.
///
/// Each word of eight bytes is tested whole (the "has a byte below n" and "has a zero byte" bit
/// tricks). Their marks are exact for the word's first such byte (a borrow only marks bytes
/// above a true one), so the lowest mark of the word, read little-endian, is where the run ends.
/// Strings in provider JSON are mostly plain text, so most words pass in a few instructions
/// instead of eight rounds of three comparisons. The last few bytes are tested in the buffer's
/// last word, its bytes before them taken as plain.
package enum JSONPlainRun {
    /// The index of the first byte at or after `start` that ends a plain run (`"`, `\`, or a
    /// control character), or `bytes.count` when there is none.
    @inline(__always)
    package static func end(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        let count = bytes.count
        while count &- index >= 8 {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let marks = endMarks(word)
            if marks != 0 { return index &+ marks.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        guard index < count else { return count }
        guard count >= 8 else {
            // A buffer shorter than a word (a short string written on its own): byte by byte.
            while index < count {
                let byte = bytes[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
                index &+= 1
            }
            return count
        }
        // The last few bytes: the buffer's last word, its bytes before `index` (found plain, or
        // before `start`) replaced by plain ones, so the lowest mark is again exact and at or
        // after `index`.
        let wordStart = count &- 8
        let before = UInt64(truncatingIfNeeded: index &- wordStart) &<< 3
        let low: UInt64 = (1 &<< before) &- 1
        let loaded = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: wordStart, as: UInt64.self))
        let marks = endMarks((loaded & ~low) | (ones &* UInt64(UInt8(ascii: "a")) & low))
        return marks == 0 ? count : wordStart &+ marks.trailingZeroBitCount &>> 3
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each of the word's bytes that may be a quote, a backslash or below 0x20:
    /// none when it has no such byte, and the lowest one marking the first that is.
    @inline(__always)
    static func endMarks(_ word: UInt64) -> UInt64 {
        let control = (word &- ones &* 0x20) & ~word & highBits
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let quoteFound = (quote &- ones) & ~quote & highBits
        let backslashFound = (backslash &- ones) & ~backslash & highBits
        return control | quoteFound | backslashFound
    }
}
