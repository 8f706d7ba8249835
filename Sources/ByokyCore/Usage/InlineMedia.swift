/// An image or an audio clip a request carries as base64 text: what it may cost in tokens, which
/// its bytes do not tell. A provider prices an image by its pixels (scaled, then counted in tiles
/// or patches), not by how well it compresses; audio by its seconds. Held as text, a screenshot's
/// megabyte of base64 held a million tokens, while no provider charges an image more than about
/// 48,000 (OpenAI's gpt-4o-mini at high detail); an image's header gives its size, which bounds
/// its price.
public struct InlineMedia: Sendable, Hashable {
    /// What the content is.
    public enum Kind: Sendable, Hashable {
        /// An image, with its width and height when its header could be read (PNG, JPEG, GIF, WebP).
        case image(width: Int, height: Int)
        /// An image whose size could not be read.
        case unreadImage
        /// Audio.
        case audio
    }

    public let kind: Kind
    /// The length of its base64 text in the request.
    public let base64Length: Int

    /// Reads the base64 text `data` of an image (its header decoded for the size) or of audio.
    public init(base64 data: some StringProtocol, isAudio: Bool = false) {
        base64Length = data.utf8.count
        if isAudio {
            kind = .audio
        } else if let size = Self.imageSize(Base64.decodePrefix(data, upTo: Self.headerBytes)) {
            kind = .image(width: size.width, height: size.height)
        } else {
            kind = .unreadImage
        }
    }

    /// The most this may cost a request to `model` (`nil` when unknown), in tokens.
    ///
    /// - An image of known size: the largest of OpenAI's tile prices (scaled to fit 2048×2048,
    ///   then its shorter side to 768, counted in 512-pixel tiles: 85 + 170 a tile, or gpt-4o-mini's
    ///   2,833 + 5,667 a tile), OpenAI's patch models (at most 1,536 patches at up to 2.46 tokens a
    ///   patch), Anthropic's (a token for every 750 pixels, up to 6,700) and Gemini's (258 tokens
    ///   for every 768-pixel tile of the image as sent).
    /// - An image whose size is unknown: a token for every four bytes of its text (what ordinary
    ///   text costs), at least the most an image of known size costs gpt-4o-mini.
    /// - Audio: a token for every 16 bytes decoded. Providers count audio by its length (Gemini 32
    ///   tokens a second, OpenAI about 10); a second of the lowest bitrate they take (8 kbit/s)
    ///   is 1,000 bytes.
    public func worstCaseTokens(model: String?) -> Int {
        switch kind {
        case .image(let width, let height):
            let inflated = model?.contains("gpt-4o-mini") == true
            return Self.imageTokens(width: width, height: height, openAIInflated: inflated)
        case .unreadImage:
            return max(base64Length / 4, Self.openAITileTokens(tiles: 8, inflated: true))
        case .audio:
            return base64Length * 3 / 4 / 16 + 1
        }
    }

    /// How much of an image's base64 text is decoded for its header: a JPEG's size may come after
    /// its metadata (EXIF, ICC profiles).
    static let headerBytes = 98_304

    /// See ``worstCaseTokens(model:)``.
    static func imageTokens(width: Int, height: Int, openAIInflated: Bool) -> Int {
        let width = max(1, min(width, 1 << 20))
        let height = max(1, min(height, 1 << 20))
        // OpenAI's tiles: fit in 2048×2048, then the shorter side down to 768 (never up).
        var (w, h) = (Double(width), Double(height))
        let fit = min(1, 2048 / max(w, h))
        (w, h) = (w * fit, h * fit)
        let shorter = min(1, 768 / min(w, h))
        (w, h) = (w * shorter, h * shorter)
        let tiles = Int((w / 512).rounded(.up)) * Int((h / 512).rounded(.up))
        // OpenAI's patch models: 32-pixel patches, at most 1,536, at up to 2.46 tokens each.
        let patches = min(1_536, ((width + 31) / 32) * ((height + 31) / 32))
        let openAI = max(openAITileTokens(tiles: tiles, inflated: openAIInflated), patches * 246 / 100 + 1)
        let anthropic = min(width * height / 750 + 1, 6_700)
        let gemini = width <= 384 && height <= 384 ? 258 : ((width + 767) / 768) * ((height + 767) / 768) * 258
        return max(openAI, anthropic, gemini)
    }

    private static func openAITileTokens(tiles: Int, inflated: Bool) -> Int {
        inflated ? 2_833 + 5_667 * tiles : 85 + 170 * tiles
    }

    /// The width and height in an image file's header: PNG, GIF, WebP (lossy, lossless, extended)
    /// or JPEG (its first start-of-frame); `nil` for anything else.
    static func imageSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        func big16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
        func big32(_ at: Int) -> Int { big16(at) << 16 | big16(at + 2) }
        func little16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func little24(_ at: Int) -> Int { little16(at) | Int(bytes[at + 2]) << 16 }
        if bytes.count >= 24, bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            return (big32(16), big32(20))
        }
        if bytes.count >= 10, bytes.starts(with: Array("GIF8".utf8)) {
            return (little16(6), little16(8))
        }
        if bytes.count >= 30, bytes.starts(with: Array("RIFF".utf8)), bytes[8..<12].elementsEqual("WEBP".utf8) {
            switch String(decoding: bytes[12..<16], as: UTF8.self) {
            case "VP8 ": return (little16(26) & 0x3FFF, little16(28) & 0x3FFF)
            case "VP8L":
                let bits = Int(bytes[21]) | Int(bytes[22]) << 8 | Int(bytes[23]) << 16 | Int(bytes[24]) << 24
                return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            case "VP8X": return (little24(24) + 1, little24(27) + 1)
            default: return nil
            }
        }
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        // JPEG: walk the segments to the first start of frame (SOF0–SOF15 but DHT, JPG, DAC).
        var index = 2
        while index + 9 < bytes.count {
            guard bytes[index] == 0xFF else { return nil }
            let marker = bytes[index + 1]
            if marker == 0xFF {
                index += 1
                continue
            }
            if marker >= 0xC0, marker <= 0xCF, marker != 0xC4, marker != 0xC8, marker != 0xCC {
                return (big16(index + 7), big16(index + 5))
            }
            if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
                index += 2
                continue
            }
            index += 2 + big16(index + 2)
        }
        return nil
    }
}
