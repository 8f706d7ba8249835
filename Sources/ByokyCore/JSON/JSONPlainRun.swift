/// Finds where a run of bytes that a JSON string holds as they are ends: the first quote,
/// backslash or control character (below 0x20), eight bytes at a time.
///
/// Each word of eight bytes is tested whole (the "has a byte below n" and "has a zero byte" bit
/// tricks). Their marks are exact for the word's first such byte (a borrow only marks bytes
/// above a true one), so the lowest mark of the word, read little-endian, is where the run ends.
/// Strings in provider JSON are mostly plain text, so most words pass in a few instructions
/// instead of eight rounds of three comparisons; the last few bytes are tested as one word too.
package enum JSONPlainRun {
    /// The index of the first byte at or after `start` that ends a plain run (`"`, `\`, or a
    /// control character), or `bytes.count` when there is none.
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
        // The last few bytes (a short string's all), in a word whose other bytes are plain.
        var tail = ones &* UInt64(UInt8(ascii: "a"))
        withUnsafeMutableBytes(of: &tail) { word in
            word.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[index..<count]))
        }
        let marks = endMarks(UInt64(littleEndian: tail))
        return marks == 0 ? count : index &+ marks.trailingZeroBitCount &>> 3
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
