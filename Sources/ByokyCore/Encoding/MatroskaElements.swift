/// Elements of a Matroska or WebM file (EBML): each an ID and a size, both variable-length
/// integers (the first byte's leading zeros tell how many bytes follow), then its content. A
/// size of all ones is unknown: a recorder writing a live stream (a browser's `MediaRecorder`)
/// leaves its segment's and clusters' sizes so.
enum MatroskaElements {
    /// An element's header at `offset`: its ID (marker bits kept, as IDs are written), its
    /// content's size (`nil` when unknown) and where its content starts; `nil` when the header
    /// does not fit in `bytes` or is malformed.
    static func header(in bytes: [UInt8], at offset: Int) -> (id: UInt32, size: Int?, content: Int)? {
        guard let (id, idLength) = vint(bytes, at: offset, keepingMarker: true), idLength <= 4,
            let (size, sizeLength) = vint(bytes, at: offset + idLength, keepingMarker: false)
        else { return nil }
        let unknown = size == (UInt64(1) << (7 * UInt64(sizeLength))) - 1
        guard unknown || size <= UInt64(Int32.max) else { return nil }
        return (UInt32(id), unknown ? nil : Int(size), offset + idLength + sizeLength)
    }

    /// A variable-length integer at `offset`: its value (with or without the length marker bit)
    /// and its length in bytes.
    static func vint(_ bytes: [UInt8], at offset: Int, keepingMarker: Bool) -> (UInt64, Int)? {
        guard offset >= 0, offset < bytes.count, bytes[offset] != 0 else { return nil }
        let length = bytes[offset].leadingZeroBitCount + 1
        guard offset + length <= bytes.count else { return nil }
        var value = UInt64(keepingMarker ? bytes[offset] : bytes[offset] & (0xFF >> length))
        for index in 1..<length { value = value << 8 | UInt64(bytes[offset + index]) }
        return (value, length)
    }

    /// An unsigned integer element's content.
    static func unsigned(_ bytes: [UInt8], _ content: Range<Int>) -> UInt64? {
        guard content.count <= 8 else { return nil }
        return bytes[content].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// A float element's content (4 or 8 bytes, big-endian).
    static func float(_ bytes: [UInt8], _ content: Range<Int>) -> Double? {
        guard let bits = unsigned(bytes, content) else { return nil }
        switch content.count {
        case 4: return Double(Float(bitPattern: UInt32(bits)))
        case 8: return Double(bitPattern: bits)
        default: return nil
        }
    }

    /// The byte ranges of the frames a block's content holds after its header (track number,
    /// timecode, flags) at `start`, by its lacing: one frame, or several sized by Xiph's
    /// 255-runs, EBML's signed differences, or equal shares; `nil` when the sizes do not fit.
    static func frames(in bytes: [UInt8], from start: Int, to end: Int, lacing: UInt8) -> [Range<Int>]? {
        guard lacing != 0 else { return [start..<end] }
        guard start < end else { return nil }
        let count = Int(bytes[start]) + 1
        var offset = start + 1
        var sizes: [Int] = []
        switch lacing {
        case 1:  // Xiph: each size but the last as a run of 255s and a smaller byte.
            for _ in 0..<(count - 1) {
                var size = 0
                while true {
                    guard offset < end else { return nil }
                    let byte = Int(bytes[offset])
                    offset += 1
                    size += byte
                    if byte < 255 { break }
                }
                sizes.append(size)
            }
        case 3:  // EBML: the first size, then each next one as a signed difference.
            guard count > 1 else { break }
            guard let (first, length) = vint(bytes, at: offset, keepingMarker: false), first <= UInt64(Int32.max)
            else { return nil }
            offset += length
            var size = Int(first)
            sizes.append(size)
            for _ in 0..<max(count - 2, 0) {
                guard let (raw, length) = vint(bytes, at: offset, keepingMarker: false) else { return nil }
                offset += length
                let bias = (1 << (7 * length - 1)) - 1
                size += Int(raw) - bias
                guard size >= 0 else { return nil }
                sizes.append(size)
            }
        default:  // Fixed: equal shares of what is left.
            guard (end - offset) % count == 0 else { return nil }
            sizes = [Int](repeating: (end - offset) / count, count: count - 1)
        }
        var frames: [Range<Int>] = []
        for size in sizes {
            guard offset + size <= end else { return nil }
            frames.append(offset..<(offset + size))
            offset += size
        }
        frames.append(offset..<end)
        return frames
    }
}
