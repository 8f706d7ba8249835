import ByokyCore
import ByokyTesting
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
        ("HEIC", TestImage.heif(brand: "heic", width: 4032, height: 3024, size: 2_000), 4032, 3024),
        ("AVIF", TestImage.heif(brand: "avif", width: 1920, height: 1080, size: 2_000), 1920, 1080),
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
            // An HEIF file cut inside its properties, and a video's `ftyp`.
            Array(TestImage.heif(brand: "heic", width: 4032, height: 3024, size: 2_000).prefix(90)),
            TestImage.box("ftyp", Array("isom".utf8) + [0, 0, 0, 0]) + TestImage.box("meta", [0, 0, 0, 0]),
        ] {
            #expect(InlineMedia(base64: Self.base64(bytes)).kind == .unreadImage)
        }
        // A JPEG whose frame comes past what is decoded of it.
        let late = Self.jpeg(width: 10, height: 10, metadata: 65_000) + [UInt8](repeating: 0, count: 10)
        var padded: [UInt8] = Array(late.prefix(6))
        for _ in 0..<2 { padded += [UInt8](repeating: 0x45, count: 65_000) + [0xFF, 0xE2, 0xFD, 0xEA] }
        #expect(InlineMedia(base64: Self.base64(padded)).kind == .unreadImage)
    }

    /// A PNG's header for an image of `width` × `height`, as base64.
    static func pngHeader(_ width: Int, _ height: Int) -> String {
        base64(
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
                + [UInt8(width >> 24), UInt8(width >> 16 & 0xFF), UInt8(width >> 8 & 0xFF), UInt8(width & 0xFF)]
                + [UInt8(height >> 24), UInt8(height >> 16 & 0xFF), UInt8(height >> 8 & 0xFF), UInt8(height & 0xFF)]
        )
    }

    /// An image is bounded by what the provider that serves it charges for its size.
    @Test func anImagesBoundFollowsItsSizeAndWhoServesIt() throws {
        func tokens(_ width: Int, _ height: Int, _ pricing: ImagePricing) throws -> Int {
            try #require(InlineMedia(base64: Self.pngHeader(width, height)).worstCaseTokens(pricedBy: pricing))
        }
        let gpt = ImagePricing(provider: .openai, model: "gpt-5.5")
        // A screenshot: the patches of the image as sent (60 × 34), at up to 2.46 tokens each.
        // Before, patches stopped at 1,536 (3,779 tokens), below what gpt-5.4 and later count.
        #expect(try tokens(1920, 1080, gpt) == 2_040 * 246 / 100 + 1)
        #expect(try tokens(1920, 1080, ImagePricing(provider: .azureOpenAI, model: "my-deployment")) == 5_019)
        // gpt-4o counts tiles only: 6 after scaling, 85 + 170 each; gpt-4o-mini's inflated tiles.
        #expect(try tokens(1920, 1080, .openAI(model: "gpt-4o")) == 85 + 170 * 6)
        #expect(try tokens(1920, 1080, .openAI(model: "gpt-4o-mini-2024-07-18")) == 2_833 + 5_667 * 6)
        #expect(try tokens(100, 100, .openAI(model: "gpt-4o-mini")) == 2_833 + 5_667)
        // A huge image: as many patches as OpenAI takes (30,000).
        #expect(try tokens(10_000, 10_000, gpt) == 30_000 * 246 / 100 + 1)
        // Anthropic: a token for 750 pixels (or a 28-pixel square, if more), and the block's 3.
        let claude = ImagePricing(provider: .anthropic, model: "claude-sonnet-4-6")
        #expect(try tokens(1920, 1080, claude) == 1920 * 1080 / 750 + 1 + 3)
        #expect(try tokens(28, 28, claude) == 28 * 28 / 750 + 1 + 3)
        #expect(try tokens(29, 29, claude) == 4 + 3)
        #expect(try tokens(4032, 3024, claude) == 6_700)
        // Gemini: 258 a 768-pixel tile, at least Gemini 3's fixed price at its highest resolution.
        let gemini = ImagePricing(provider: .gemini, model: "gemini-2.5-flash")
        #expect(try tokens(100, 100, gemini) == 2_240)
        #expect(try tokens(4032, 3024, gemini) == 24 * 258)
        #expect(try tokens(10_000, 10_000, gemini) == 196 * 258)
        // Gemini 3 and later: a fixed price by media resolution, at most 2,240 whatever the size.
        let gemini3 = ImagePricing(provider: .gemini, model: "gemini-3-pro-preview")
        #expect(try tokens(100, 100, gemini3) == 2_240)
        #expect(try tokens(10_000, 10_000, gemini3) == 2_240)
        // Any other provider: the largest of the three.
        let other = ImagePricing(provider: .openrouter, model: "openai/gpt-5.5")
        #expect(try tokens(100, 100, other) == 2_240)
        #expect(try tokens(1920, 1080, other) == 5_019)
        #expect(try tokens(4032, 3024, other) == 126 * 95 * 246 / 100 + 1)
        // Absurd sizes stay bounded numbers.
        #expect(try tokens(0xFFFF_FFFF, 0xFFFF_FFFF, other) > 0)
    }

    /// An image whose size is unknown is held at the most any image costs where it is served:
    /// sent inline with a header that cannot be read (at least a token for four bytes of its
    /// text), or fetched by the provider from a URL (nothing bounds it where the price grows
    /// with the size).
    @Test func anImageOfUnknownSizeIsHeldAtTheLargestItsProviderTakes() {
        let large = InlineMedia(base64: String(repeating: "A", count: 400_000))
        #expect(large.kind == .unreadImage && large.worstCaseTokens(pricedBy: .anthropic) == 100_000)
        let unread = InlineMedia(base64: "not an image at all")
        #expect(unread.kind == .unreadImage)
        #expect(unread.worstCaseTokens(pricedBy: .openAI(model: "gpt-5.5")) == 73_801)
        #expect(unread.worstCaseTokens(pricedBy: .openAI(model: "gpt-4o-mini")) == 2_833 + 5_667 * 8)
        #expect(unread.worstCaseTokens(pricedBy: .anthropic) == 6_700)
        #expect(unread.worstCaseTokens(pricedBy: .gemini(model: nil)) == 73_801)
        let fetched = InlineMedia.fetchedImage
        #expect(fetched.kind == .fetchedImage && fetched.base64Length == 0)
        #expect(fetched.worstCaseTokens(pricedBy: .openAI(model: "gpt-5.5")) == 73_801)
        #expect(fetched.worstCaseTokens(pricedBy: .openAI(model: "gpt-4o")) == 85 + 170 * 8)
        #expect(fetched.worstCaseTokens(pricedBy: .openAI(model: "gpt-4o-mini")) == 2_833 + 5_667 * 8)
        #expect(fetched.worstCaseTokens(pricedBy: .anthropic) == 6_700)
        #expect(fetched.worstCaseTokens(pricedBy: .gemini(model: "gemini-2.5-flash")) == nil)
        #expect(fetched.worstCaseTokens(pricedBy: .gemini(model: "gemini-flash-latest")) == nil)
        // Gemini 3 and later price any image at most 2,240, whatever its size.
        #expect(fetched.worstCaseTokens(pricedBy: .gemini(model: "gemini-3-flash-preview")) == 2_240)
        #expect(fetched.worstCaseTokens(pricedBy: .gemini(model: "models/gemini-3.5-pro")) == 2_240)
        #expect(fetched.worstCaseTokens(pricedBy: ImagePricing(provider: .cohere, model: "command-a-vision")) == nil)
    }

    @Test func audioIsBoundedByItsLength() {
        let audio = InlineMedia(base64: Self.base64([UInt8](repeating: 1, count: 32_000)), isAudio: true)
        #expect(audio.kind == .audio)
        #expect(audio.worstCaseTokens(pricedBy: .gemini(model: nil)) == 32_000 / 16 + 1)
    }
}
