/// An image or an audio clip in a request whose price its text does not tell: sent as base64, or
/// an image the provider fetches from a URL. A provider prices an image by its pixels (scaled,
/// then counted in tiles or patches: ``ImagePricing``), not by how well it compresses; audio by
/// its seconds. Held as text, a screenshot's megabyte of base64 held a million tokens; an
/// image's header gives its size, which bounds its price, and the largest image a provider takes
/// bounds the price of one it fetches.
public struct InlineMedia: Sendable, Hashable {
    /// What the content is.
    public enum Kind: Sendable, Hashable {
        /// An image, with its width and height when its header could be read (PNG, JPEG, GIF, WebP).
        case image(width: Int, height: Int)
        /// An image whose size could not be read.
        case unreadImage
        /// An image the provider fetches from a URL: its size is not known when the request is sent.
        case fetchedImage
        /// Audio.
        case audio
    }

    public let kind: Kind
    /// The length of its base64 text in the request (0 for a fetched image).
    public let base64Length: Int

    /// Reads the base64 text `data` of an image (its header decoded for the size) or of audio.
    public init(base64 data: some StringProtocol, isAudio: Bool = false) {
        base64Length = data.utf8.count
        if isAudio {
            kind = .audio
        } else {
            kind = Self.imageKind(Base64.decodePrefix(data, upTo: Self.headerBytes))
        }
    }

    /// Reads an image file's bytes (an upload) for its size.
    public init(imageBytes bytes: [UInt8]) {
        base64Length = 0
        kind = Self.imageKind(Array(bytes.prefix(Self.headerBytes * 3 / 4)))
    }

    /// An image whose file starts with `header`: its size when the header tells it.
    private static func imageKind(_ header: [UInt8]) -> Kind {
        imageSize(header).map { .image(width: $0.width, height: $0.height) } ?? .unreadImage
    }

    /// An image the provider fetches from a URL.
    public static let fetchedImage = InlineMedia(kind: .fetchedImage, base64Length: 0)

    private init(kind: Kind, base64Length: Int) {
        self.kind = kind
        self.base64Length = base64Length
    }

    /// The most this may cost a request priced by `pricing` (the provider that serves it and
    /// its model), in tokens; `nil` when nothing bounds it.
    ///
    /// - An image of known size: what ``ImagePricing`` makes of its size.
    /// - An image whose size is unknown: a token for every four bytes of its text (what ordinary
    ///   text costs), at least the most any image costs there (the most OpenAI's patches come to
    ///   where the provider takes images of any size).
    /// - An image the provider fetches: the most any image costs there; `nil` where an image's
    ///   price grows with its size without end.
    /// - Audio: a token for every 16 bytes decoded. Providers count audio by its length (Gemini 32
    ///   tokens a second, OpenAI about 10); a second of the lowest bitrate they take (8 kbit/s)
    ///   is 1,000 bytes.
    public func worstCaseTokens(pricedBy pricing: ImagePricing) -> Int? {
        switch kind {
        case .image(let width, let height):
            return pricing.tokens(width: width, height: height)
        case .unreadImage:
            return max(base64Length / 4, pricing.largestImage ?? ImagePricing.largestPatchedImage)
        case .fetchedImage:
            return pricing.largestImage
        case .audio:
            return base64Length * 3 / 4 / 16 + 1
        }
    }

    /// How much of an image's base64 text is decoded for its header: a JPEG's size may come after
    /// its metadata (EXIF, ICC profiles).
    static let headerBytes = 98_304

    /// The width and height in an image file's header: PNG, GIF, WebP (lossy, lossless, extended),
    /// JPEG (its first start-of-frame) or HEIF (HEIC, AVIF: ``heifSize(_:)``); `nil` for anything else.
    static func imageSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        if let size = heifSize(bytes) { return size }
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

    /// The brands of an HEIF file's `ftyp` box that mark a still image (HEIC, AVIF and the
    /// format's own).
    private static let heifBrands: Set<String> = [
        "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1", "avif", "avis",
    ]

    /// An HEIF file's size (HEIC from phones, AVIF): the largest image spatial extents (`ispe`)
    /// among the item properties (`meta` → `iprp` → `ipco`), which a grid image's full size is
    /// (its tiles, and thumbnails, are smaller). Before, such an image's size went unread and it
    /// was held at a token for four bytes of its text: a phone's photo sent to Gemini held
    /// hundreds of thousands of tokens.
    static func heifSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        guard let first = ISOBoxes.box(in: bytes, at: 0), first.type == "ftyp", first.content.count >= 4,
            heifBrands.contains(String(decoding: bytes[first.content.prefix(4)], as: UTF8.self))
        else { return nil }
        // `meta` and `ispe` are full boxes: a version and flags come before what they hold.
        guard let meta = ISOBoxes.child("meta", of: 0..<bytes.count, in: bytes), meta.count >= 4,
            let properties = ISOBoxes.child("iprp", of: (meta.lowerBound + 4)..<meta.upperBound, in: bytes),
            let container = ISOBoxes.child("ipco", of: properties, in: bytes)
        else { return nil }
        var largest: (width: Int, height: Int)?
        var offset = container.lowerBound
        // A box is at least 8 bytes, so the walk ends; a file names a few dozen properties.
        while let found = ISOBoxes.box(in: bytes, at: offset), found.end <= container.upperBound {
            if found.type == "ispe", found.content.count >= 12 {
                let at = found.content.lowerBound + 4
                // Bounded, so that an area is a number (providers take nothing near this).
                let width = min(Int(ISOBoxes.big32(bytes, at)), 1 << 20)
                let height = min(Int(ISOBoxes.big32(bytes, at + 4)), 1 << 20)
                if width * height > (largest.map { $0.width * $0.height } ?? -1) { largest = (width, height) }
            }
            offset = found.end
        }
        return largest
    }
}
