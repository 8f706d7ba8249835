/// Ways to cut a byte stream into chunks, for tests that prove chunk boundaries carry no meaning.
package enum ChunkSplits {
    /// The input cut once at every position: `[0..<i, i..<n]` for each `i` in `0...n`.
    package static func everySplitPoint(_ bytes: [UInt8]) -> [[[UInt8]]] {
        (0...bytes.count).map { [Array(bytes[..<$0]), Array(bytes[$0...])] }
    }

    /// The input cut into chunks of `size` bytes (the last may be shorter).
    package static func fixedSize(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
        precondition(size > 0)
        return stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    /// The input cut at random places into chunks of 1 to `maximumSize` bytes, repeatably for a seed.
    package static func random(_ bytes: [UInt8], seed: UInt64, maximumSize: Int = 64) -> [[UInt8]] {
        var generator = SeededGenerator(seed: seed)
        var chunks: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            let size = Int.random(in: 1...maximumSize, using: &generator)
            chunks.append(Array(bytes[start..<min(start + size, bytes.count)]))
            start += size
        }
        return chunks
    }
}

/// A small deterministic generator (SplitMix64) for repeatable random tests.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) { state = seed }

    package mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
