import Foundation

/// Images for tests of what an inline image holds of a budget.
public enum TestImage {
    /// A PNG of `width`×`height` as base64: its signature and header, then filler bytes up to
    /// `size` (no pixels: a provider's mock reads none, and the wallet reads the header alone).
    public static func png(width: Int, height: Int, size: Int) -> String {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        bytes += Array("IHDR".utf8)
        for value in [width, height] { bytes += (0..<4).map { UInt8((value >> (24 - 8 * $0)) & 0xFF) } }
        bytes += [8, 6, 0, 0, 0]
        bytes += (0..<max(0, size - bytes.count)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        return Data(bytes).base64EncodedString()
    }
}
