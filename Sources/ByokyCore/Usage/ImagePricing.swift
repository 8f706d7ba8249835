/// How the provider that serves a request prices the images in it, which bounds what an image
/// may cost: by its size when the wallet can read it (``InlineMedia``), by the largest image the
/// provider takes when it cannot (an image the provider fetches from a URL).
///
/// Each provider scales an image before counting it, and each counts differently; the newest
/// models count more than the formulas that came before them:
/// - OpenAI (and Azure OpenAI): 512-pixel tiles after fitting the image in 2048×2048 and its
///   shorter side in 768 (85 + 170 a tile; gpt-4o-mini 2,833 + 5,667 a tile), or 32-pixel patches
///   at up to 2.46 tokens each. Patch models once capped an image at 1,536 patches; gpt-5.4 and
///   gpt-5.5 take up to 10,000 at the `original` detail, and gpt-5.6 keeps an image's own size by
///   default, up to 30,000 patches (a larger image is refused).
/// - Anthropic: a token for every 750 pixels, or one for every 28-pixel square on the models
///   that see more (2,576 pixels on the long edge, about 4,800 tokens); a larger image is scaled
///   down first.
/// - Gemini: 258 tokens for every 768-pixel tile of the image as sent; Gemini 3 and later a fixed
///   price for each image by its media resolution, at most 2,240 (`ultra_high`), whatever its
///   size (so an image Gemini 3 reads from a file costs at most that too).
/// - Any other provider (OpenAI-compatible hosts, Cohere, local servers) may run any of those
///   models or others: the largest of the three.
public enum ImagePricing: Sendable, Hashable {
    /// OpenAI's tiles and patches; `model` picks gpt-4o's tiles-only pricing.
    case openAI(model: String?)
    /// Anthropic's pixels.
    case anthropic
    /// Gemini's tiles, or (Gemini 3 and later, by `model`) its fixed prices.
    case gemini(model: String?)
    /// The largest of the others: the provider's models are not known.
    case any(model: String?)

    /// The pricing of images in a request `provider` serves with `model`.
    public init(provider: ProviderID, model: String?) {
        switch provider {
        case .openai, .azureOpenAI: self = .openAI(model: model)
        case .anthropic: self = .anthropic
        case .gemini: self = .gemini(model: model)
        default: self = .any(model: model)
        }
    }

    /// The most an image of `width` × `height` pixels may cost, in tokens.
    public func tokens(width: Int, height: Int) -> Int {
        let width = max(1, min(width, 1 << 20))
        let height = max(1, min(height, 1 << 20))
        switch self {
        case .openAI(let model): return Self.openAI(width: width, height: height, model: model)
        case .anthropic: return Self.anthropic(width: width, height: height)
        case .gemini(let model):
            if Self.isFixedPriceGemini(model) { return Self.geminiFixedImageTokens }
            return Self.gemini(width: width, height: height)
        case .any(let model):
            return max(
                Self.openAI(width: width, height: height, model: model),
                Self.anthropic(width: width, height: height),
                Self.gemini(width: width, height: height)
            )
        }
    }

    /// The most any image may cost, whatever its size; `nil` when nothing bounds it (Gemini
    /// before version 3 counts tiles of the image as sent, however large).
    public var largestImage: Int? {
        switch self {
        case .openAI(let model):
            Self.isTileModel(model)
                ? Self.openAITiles(Self.mostOpenAITiles, inflated: Self.isInflated(model))
                : Self.largestPatchedImage
        case .anthropic: Self.mostAnthropicTokens
        case .gemini(let model): Self.isFixedPriceGemini(model) ? Self.geminiFixedImageTokens : nil
        case .any: nil
        }
    }

    // MARK: The formulas

    /// The most 512-pixel tiles an image makes at OpenAI (768 × 2048 after scaling: 2 × 4).
    static let mostOpenAITiles = 8
    /// The most 32-pixel patches OpenAI takes for an image (gpt-5.6's default detail).
    static let mostPatches = 30_000
    /// The highest price of a patch, in hundredths of a token (gpt-4.1-nano's 2.46).
    static let patchTokensPercent = 246
    /// The most an image costs in OpenAI's patches.
    static let largestPatchedImage = mostPatches * patchTokensPercent / 100 + 1
    /// The most Anthropic charges for an image, its visual tokens and the block's own.
    static let mostAnthropicTokens = 6_700
    /// Gemini 3's price for an image at its highest media resolution (`ultra_high`).
    static let geminiFixedImageTokens = 2_240

    /// Whether `model` is Gemini 3 or later (`gemini-3-flash`, `models/gemini-3.5-pro`), which
    /// prices an image by its media resolution, not its size; an alias that names no version
    /// (`gemini-flash-latest`) is not known to be.
    static func isFixedPriceGemini(_ model: String?) -> Bool {
        guard let model, let range = model.firstRange(of: "gemini-") else { return false }
        let version = model[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return Int(version).map { $0 >= 3 } ?? false
    }

    private static func isTileModel(_ model: String?) -> Bool {
        guard let model else { return false }
        return model.contains("gpt-4o")
    }

    private static func isInflated(_ model: String?) -> Bool {
        model?.contains("gpt-4o-mini") == true
    }

    private static func openAITiles(_ tiles: Int, inflated: Bool) -> Int {
        inflated ? 2_833 + 5_667 * tiles : 85 + 170 * tiles
    }

    private static func openAI(width: Int, height: Int, model: String?) -> Int {
        // Tiles: fit in 2048×2048, then the shorter side down to 768 (never up).
        var (w, h) = (Double(width), Double(height))
        let fit = min(1, 2048 / max(w, h))
        (w, h) = (w * fit, h * fit)
        let shorter = min(1, 768 / min(w, h))
        (w, h) = (w * shorter, h * shorter)
        let tiles = Int((w / 512).rounded(.up)) * Int((h / 512).rounded(.up))
        let tiled = openAITiles(tiles, inflated: isInflated(model))
        if isTileModel(model) { return tiled }
        // Patches of the image as sent, as many as OpenAI takes.
        let patches = min(mostPatches, ((width + 31) / 32) * ((height + 31) / 32))
        return max(tiled, patches * patchTokensPercent / 100 + 1)
    }

    private static func anthropic(width: Int, height: Int) -> Int {
        let squares = ((width + 27) / 28) * ((height + 27) / 28)
        return min(max(width * height / 750 + 1, squares) + 3, mostAnthropicTokens)
    }

    private static func gemini(width: Int, height: Int) -> Int {
        let tiles = width <= 384 && height <= 384 ? 1 : ((width + 767) / 768) * ((height + 767) / 768)
        return max(tiles * 258, geminiFixedImageTokens)
    }
}
