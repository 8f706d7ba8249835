/// A QR code (ISO/IEC 18004, model 2) holding bytes, for showing pairing codes and gift links in a
/// terminal. Byte mode only; the smallest version (1–40) that fits is chosen, and the mask with
/// the lowest penalty.
///
/// ```swift
/// let code = try QRCode(encoding: Array(link.utf8))
/// print(code.terminalText())
/// ```
public struct QRCode: Sendable, Hashable {
    /// How much of the symbol may be damaged and still read.
    public enum ErrorCorrection: Int, Sendable, CaseIterable {
        /// About 7 %.
        case low
        /// About 15 %.
        case medium
        /// About 25 %.
        case quartile
        /// About 30 %.
        case high

        /// The two format bits of the level.
        var formatBits: Int {
            switch self {
            case .low: 1
            case .medium: 0
            case .quartile: 3
            case .high: 2
            }
        }
    }

    /// The version, 1 to 40 (the symbol is `17 + 4 × version` modules wide).
    public let version: Int
    public let errorCorrection: ErrorCorrection
    /// The mask pattern used, 0 to 7.
    public let mask: Int
    /// Modules per side.
    public let size: Int
    /// Dark modules, row by row (`modules[y * size + x]`).
    public let modules: [Bool]

    /// Whether the module at column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < size && y < size && modules[y * size + x]
    }

    /// Why a QR code could not be made.
    public enum EncodingError: Error, Sendable, Hashable {
        /// The data does not fit in version 40 at this error-correction level.
        case tooLong(bytes: Int)
    }

    /// Encodes `bytes` in byte mode.
    ///
    /// - Throws: ``EncodingError/tooLong(bytes:)`` for more than version 40 holds (2,331 bytes at
    ///   medium error correction).
    public init(encoding bytes: [UInt8], errorCorrection: ErrorCorrection = .medium) throws {
        guard let version = (1...40).first(where: { Self.fits(bytes.count, version: $0, level: errorCorrection) })
        else {
            throw EncodingError.tooLong(bytes: bytes.count)
        }
        let codewords = Self.interleavedCodewords(
            data: Self.dataCodewords(bytes, version: version, level: errorCorrection),
            version: version,
            level: errorCorrection
        )
        var matrix = QRMatrix(version: version)
        matrix.drawFunctionPatterns()
        matrix.placeData(codewords)
        var best: (mask: Int, penalty: Int, modules: [Bool])?
        for mask in 0..<8 {
            var candidate = matrix
            candidate.applyMask(mask)
            candidate.drawFormatBits(level: errorCorrection, mask: mask)
            let penalty = candidate.penalty()
            if best == nil || penalty < best!.penalty { best = (mask, penalty, candidate.modules) }
        }
        self.version = version
        self.errorCorrection = errorCorrection
        self.mask = best!.mask
        self.size = matrix.size
        self.modules = best!.modules
    }

    /// Whether `count` bytes fit in `version` at `level`.
    static func fits(_ count: Int, version: Int, level: ErrorCorrection) -> Bool {
        let countBits = version < 10 ? 8 : 16
        return count < (1 << countBits) && 4 + countBits + 8 * count <= 8 * dataCodewordCount(version, level)
    }

    /// The data codewords: mode, count, bytes, terminator, padding.
    static func dataCodewords(_ bytes: [UInt8], version: Int, level: ErrorCorrection) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version < 10 ? 8 : 16)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = 8 * dataCodewordCount(version, level)
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var codewords = bits.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacity {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// Splits the data into blocks, adds each block's error correction, and interleaves them.
    static func interleavedCodewords(data: [UInt8], version: Int, level: ErrorCorrection) -> [UInt8] {
        let blockCount = QRTables.blockCount[level.rawValue][version - 1]
        let eccLength = QRTables.eccCodewordsPerBlock[level.rawValue][version - 1]
        let total = rawModuleCount(version) / 8
        let shortBlocks = blockCount - total % blockCount
        let shortLength = total / blockCount
        let divisor = ReedSolomon.generator(degree: eccLength)
        var blocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let dataLength = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            let slice = Array(data[offset..<offset + dataLength])
            offset += dataLength
            var block = slice
            // Short blocks get a placeholder so every block has the same length while interleaving.
            if index < shortBlocks { block.append(0) }
            block += ReedSolomon.remainder(of: slice, divisor: divisor)
            blocks.append(block)
        }
        var result: [UInt8] = []
        for column in 0..<blocks[0].count {
            for (index, block) in blocks.enumerated() where column != shortLength - eccLength || index >= shortBlocks {
                result.append(block[column])
            }
        }
        return result
    }

    /// Modules available for data and error correction in `version`.
    static func rawModuleCount(_ version: Int) -> Int {
        var result = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignments = version / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if version >= 7 { result -= 36 }
        }
        return result
    }

    /// Data codewords of `version` at `level`.
    static func dataCodewordCount(_ version: Int, _ level: ErrorCorrection) -> Int {
        rawModuleCount(version) / 8 - QRTables.eccCodewordsPerBlock[level.rawValue][version - 1]
            * QRTables.blockCount[level.rawValue][version - 1]
    }
}

/// Bits appended most significant first.
struct BitBuffer {
    private(set) var bits: [Bool] = []

    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, offset in
                byte << 1 | (start + offset < bits.count && bits[start + offset] ? 1 : 0)
            }
        }
    }
}
