/// A second, plainer model of the wallet's path rule, for tests and the path fuzzer to compare
/// `PathSegmentPolicy` against: it decodes the *whole* path round by round and compares the
/// segment structure of each round with the raw one.
///
/// The rule: a path is safe when no round of percent-decoding (up to three) yields a control
/// byte, a backslash, a different number of `/`-separated segments, or a `.`/`..` segment; the
/// raw path has no empty segment between two others; and a fourth round would change nothing.
package enum PathDecodingOracle {
    package static func isSafe(_ path: [UInt8]) -> Bool {
        let raw = segments(of: path)
        if raw.count > 2, raw.dropFirst().dropLast().contains(where: \.isEmpty) { return false }
        var current = path
        for round in 0...3 {
            if current.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0x5C }) { return false }
            let decodedSegments = segments(of: current)
            if decodedSegments.count != raw.count { return false }
            if decodedSegments.contains(where: { $0 == [0x2E] || $0 == [0x2E, 0x2E] }) { return false }
            let next = decodeAll(current)
            if next == current { return true }
            if round == 3 { return false }
            current = next
        }
        return true
    }

    private static func segments(of path: [UInt8]) -> [[UInt8]] {
        path.split(separator: 0x2F, omittingEmptySubsequences: false).map(Array.init)
    }

    private static func decodeAll(_ bytes: [UInt8]) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        func value(_ byte: UInt8) -> Int? {
            let lower = (0x41...0x46).contains(byte) ? byte + 0x20 : byte
            return hex.firstIndex(of: lower)
        }
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x25, index + 2 < bytes.count, let high = value(bytes[index + 1]),
                let low = value(bytes[index + 2])
            {
                output.append(UInt8(high * 16 + low))
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }
}
