/// Boxes of the ISO base media file format (MP4, M4A, HEIF): each a 32-bit size (or 1, then a
/// 64-bit one; or 0, to the end), a four-letter type, then its content.
enum ISOBoxes {
    /// The box that starts at `offset`: its type, its content and where it ends; `nil` when it
    /// does not fit in `bytes` (a whole file, or a prefix of one).
    static func box(in bytes: [UInt8], at offset: Int) -> (type: String, content: Range<Int>, end: Int)? {
        guard offset >= 0, offset + 8 <= bytes.count else { return nil }
        var size = Int(big32(bytes, offset))
        var header = 8
        if size == 1 {
            guard offset + 16 <= bytes.count else { return nil }
            let large = UInt64(big32(bytes, offset + 8)) << 32 | UInt64(big32(bytes, offset + 12))
            guard large <= UInt64(Int32.max) else { return nil }
            size = Int(large)
            header = 16
        } else if size == 0 {
            size = bytes.count - offset
        }
        guard size >= header, offset + size <= bytes.count else { return nil }
        let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
        return (type, (offset + header)..<(offset + size), offset + size)
    }

    /// The content of the first box of `type` among the boxes that fill `range`. A box is at
    /// least 8 bytes, so the walk ends.
    static func child(_ type: String, of range: Range<Int>, in bytes: [UInt8]) -> Range<Int>? {
        var offset = range.lowerBound
        while let found = box(in: bytes, at: offset), found.end <= range.upperBound {
            if found.type == type { return found.content }
            offset = found.end
        }
        return nil
    }

    /// The big-endian 32-bit number at `at`.
    static func big32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
}
