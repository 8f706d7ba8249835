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

    /// An HEIF file of `brand` (`heic`, `avif`) of `width`×`height` as a phone writes it: a grid
    /// image whose tiles and thumbnail have spatial extents of their own beside other properties,
    /// then its data up to about `size` bytes (no pixels).
    public static func heif(brand: String, width: Int, height: Int, size: Int) -> [UInt8] {
        let properties =
            spatialExtents(320, 240) + box("colr", Array("nclx".utf8) + [0, 1, 0, 13, 0, 1, 0x80])
            + spatialExtents(512, 512) + spatialExtents(width, height) + box("pixi", [0, 0, 0, 0, 3, 8, 8, 8])
        let handler = box("hdlr", [0, 0, 0, 0] + Array("pict".utf8))
        let header =
            box("ftyp", Array(brand.utf8) + [0, 0, 0, 0] + Array("mif1".utf8) + Array(brand.utf8))
            + box("meta", [0, 0, 0, 0] + handler + box("iprp", box("ipco", properties)))
        return header + box("mdat", [UInt8](repeating: 0x5A, count: max(0, size - header.count - 8)))
    }

    /// An ISO base media box of `type` holding `content`.
    public static func box(_ type: String, _ content: [UInt8]) -> [UInt8] {
        bigEndian(content.count + 8) + Array(type.utf8) + content
    }

    private static func spatialExtents(_ width: Int, _ height: Int) -> [UInt8] {
        box("ispe", [0, 0, 0, 0] + bigEndian(width) + bigEndian(height))
    }

    private static func bigEndian(_ value: Int) -> [UInt8] {
        (0..<4).map { UInt8((value >> (24 - 8 * $0)) & 0xFF) }
    }
}
