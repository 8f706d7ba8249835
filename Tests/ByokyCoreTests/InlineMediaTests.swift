import ByokyCore
import Foundation
import Testing

/// An inline image's size is read from its header (PNG, GIF, WebP, JPEG) in its base64 text, and
/// bounds what it may cost; audio is bounded by its length.
struct InlineMediaTests {
    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static let png: [UInt8] =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        + [0, 0, 0x07, 0x80, 0, 0, 0x04, 0x38, 8, 6, 0, 0, 0]
    static let gif: [UInt8] = Array("GIF89a".utf8) + [0x80, 0x02, 0xE0, 0x01, 0, 0, 0]

    static func riff(_ chunk: String, _ payload: [UInt8]) -> [UInt8] {
        Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8) + Array(chunk.utf8) + [0, 0, 0, 0] + payload
    }

    /// A JPEG whose start of frame comes after an EXIF segment of `metadata` bytes.
    static func jpeg(width: Int, height: Int, metadata: Int) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE1, UInt8((metadata + 2) >> 8), UInt8((metadata + 2) & 0xFF)]
        bytes += [UInt8](repeating: 0x45, count: metadata)
        bytes += [0xFF, 0xDB, 0x00, 0x04, 0x00, 0x00]
        bytes += [0xFF, 0xC2, 0x00, 0x11, 0x08, UInt8(height >> 8), UInt8(height & 0xFF)]
        bytes += [UInt8(width >> 8), UInt8(width & 0xFF), 0x03, 0, 0, 0]
        return bytes
    }

    @Test(arguments: [
        ("PNG", png, 1920, 1080),
        ("GIF", gif, 640, 480),
        ("WebP lossy", riff("VP8 ", [0, 0, 0, 0x9D, 0x01, 0x2A, 0x20, 0x03, 0x58, 0x02]), 800, 600),
        // 14 bits of width less one, then 14 of height less one: 1024 and 768.
        ("WebP lossless", riff("VP8L", [0x2F, 0xFF, 0xC3, 0xBF, 0x00, 0, 0, 0, 0, 0]), 1024, 768),
        ("WebP extended", riff("VP8X", [0x10, 0, 0, 0, 0x7F, 0x0C, 0x00, 0x37, 0x09, 0x00]), 3200, 2360),
        ("JPEG after EXIF", jpeg(width: 4032, height: 3024, metadata: 30_000), 4032, 3024),
    ])
    func anImagesSizeIsRead(format: String, bytes: [UInt8], width: Int, height: Int) {
        let media = InlineMedia(base64: Self.base64(bytes))
        #expect(media.kind == .image(width: width, height: height), "\(format)")
        // URL-safe base64 and line breaks read the same.
        let urlSafe = Self.base64(bytes).replacingOccurrences(of: "+", with: "-").replacingOccurrences(
            of: "/",
            with: "_"
        )
        #expect(InlineMedia(base64: urlSafe).kind == media.kind, "\(format)")
    }

    @Test func whatIsNotAnImageHeaderIsUnread() {
        for bytes: [UInt8] in [
            [], Array("hello world, this is text".utf8), [0xFF, 0xD8, 0xFF], Array(Self.png.prefix(20)),
        ] {
            #expect(InlineMedia(base64: Self.base64(bytes)).kind == .unreadImage)
        }
        // A JPEG whose frame comes past what is decoded of it.
        let late = Self.jpeg(width: 10, height: 10, metadata: 65_000) + [UInt8](repeating: 0, count: 10)
        var padded: [UInt8] = Array(late.prefix(6))
        for _ in 0..<2 { padded += [UInt8](repeating: 0x45, count: 65_000) + [0xFF, 0xE2, 0xFD, 0xEA] }
        #expect(InlineMedia(base64: Self.base64(padded)).kind == .unreadImage)
    }

    @Test func anImagesBoundFollowsItsSize() {
        func tokens(_ width: Int, _ height: Int, model: String? = nil) -> Int {
            InlineMedia(
                base64: Self.base64(
                    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
                        + [
                            UInt8(width >> 24), UInt8(width >> 16 & 0xFF), UInt8(width >> 8 & 0xFF),
                            UInt8(width & 0xFF),
                        ]
                        + [
                            UInt8(height >> 24), UInt8(height >> 16 & 0xFF), UInt8(height >> 8 & 0xFF),
                            UInt8(height & 0xFF),
                        ]
                )
            ).worstCaseTokens(model: model)
        }
        // Small: Gemini's one tile (above OpenAI's 255 for a tile, Anthropic's 14).
        #expect(tokens(100, 100) == 258)
        // A screenshot: OpenAI's patch ceiling (1,536 patches at 2.46).
        #expect(tokens(1920, 1080) == 1_536 * 246 / 100 + 1)
        // A large photo: Anthropic's ceiling (above Gemini's 6 × 4 tiles at 258).
        #expect(tokens(4032, 3024) == 6_700)
        // A huge one: Gemini's tiles of the image as sent (14 × 14 at 258).
        #expect(tokens(10_000, 10_000) == 196 * 258)
        // gpt-4o-mini's inflated tiles: 2,833 + 5,667 a 512-pixel tile after scaling.
        #expect(tokens(100, 100, model: "gpt-4o-mini") == 2_833 + 5_667)
        #expect(tokens(1920, 1080, model: "gpt-4o-mini-2024-07-18") == 2_833 + 5_667 * 6)
        // Absurd sizes stay bounded numbers.
        #expect(tokens(0xFFFF_FFFF, 0xFFFF_FFFF) > 0)
        // Unread: the text's quarter, at least the most a read image costs gpt-4o-mini.
        let large = InlineMedia(base64: String(repeating: "A", count: 400_000))
        #expect(large.kind == .unreadImage && large.worstCaseTokens(model: nil) == 100_000)
        let unread = InlineMedia(base64: "not an image at all")
        #expect(unread.worstCaseTokens(model: nil) == 2_833 + 5_667 * 8)
    }

    @Test func audioIsBoundedByItsLength() {
        let audio = InlineMedia(base64: Self.base64([UInt8](repeating: 1, count: 32_000)), isAudio: true)
        #expect(audio.kind == .audio)
        #expect(audio.worstCaseTokens(model: nil) == 32_000 / 16 + 1)
    }
}
