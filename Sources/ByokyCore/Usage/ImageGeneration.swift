/// A request that asks one of OpenAI's image models to draw (`…/images/generations`, or
/// `…/images/edits` with the images to change uploaded as form data), and what it may cost.
///
/// The GPT Image models bill in tokens: the prompt and the images given as input, and each image
/// drawn by its size and quality (gpt-image-1: 4,160 output tokens for a high-quality 1024×1024
/// image, 6,240 for 1536×1024; gpt-image-2: 7,024 for 1024×1024, 12,329 for 3584×2048, at any
/// size up to 3840 pixels an edge), and 100 more for each partial image a stream sends. Before,
/// every such request held an answer's worth (4,096 tokens an image) whatever size it asked
/// for, below what one high-quality image costs; and an edit's uploaded image held a token a
/// byte (a megabyte's photo, a million), so no capped app could edit a picture.
public struct ImageGeneration: Sendable, Hashable {
    /// The model named, if any.
    public var model: String?
    /// The size asked for (`1024x1536`, `auto`), if any.
    public var size: String?
    /// The images asked for (`n`, 1 to 10).
    public var count = 1
    /// The partial images a stream sends of each (`partial_images`, 0 to 3).
    public var partialImages = 0
    /// The images an edit gives as input (and its mask), with their sizes when read.
    public var inputImages: [InlineMedia] = []
    /// The bytes of the text fields (the prompt and the rest).
    public var textBytes = 0
    /// Whether the request sets a parameter only the GPT Image models take: with no model named,
    /// the API then draws with one of them rather than DALL·E 2, its default.
    public var namesGPTImageParameter = false

    /// Whether `path` (without its query) asks for images to be drawn (DALL·E 2's variations too).
    public static func matches(path: some StringProtocol) -> Bool {
        path.hasByteSuffix("/images/generations") || path.hasByteSuffix("/images/edits")
            || path.hasByteSuffix("/images/variations")
    }

    /// The parameters only the GPT Image models take (and `quality`'s values of theirs).
    static let gptImageParameters: Set<String> = [
        "background", "moderation", "output_compression", "output_format", "partial_images", "stream",
        "input_fidelity",
    ]

    /// Reads a JSON request's fields (`model`, `size`, `n`, `partial_images`). A field named
    /// twice counts at what costs the most: providers' parsers differ on which one they keep.
    public init(json body: JSONObject) {
        for member in body {
            read(member.key, text: member.value.stringValue, number: member.value.doubleValue)
        }
    }

    /// Reads a form's fields and its uploaded images (an edit), a field named twice as in JSON.
    package init(form parts: [MultipartForm.Part]) {
        for part in parts {
            if part.filename != nil {
                inputImages.append(InlineMedia(imageBytes: part.body))
                continue
            }
            let value = String(decoding: part.body, as: UTF8.self)
            textBytes += part.body.count
            read(part.name ?? "", text: value, number: Double(value))
        }
    }

    /// One field, from JSON or a form: each keeps what costs the most of the values it is given.
    private mutating func read(_ name: String, text: String?, number: Double?) {
        if Self.gptImageParameters.contains(name)
            || (name == "quality" && ["low", "medium", "high"].contains(text ?? ""))
        {
            namesGPTImageParameter = true
        }
        switch name {
        case "model":
            // DALL·E only when every model named is.
            if model == nil || model?.hasPrefix("dall-e") == true { model = text }
        case "size":
            // A size that is not `WxH` is drawn at any size.
            let pixels = Self.pixels(of: text) ?? Self.largestImage
            if !sizeRead || pixels > (Self.pixels(of: size) ?? Self.largestImage) { size = text }
            sizeRead = true
        case "n": count = max(count, Self.clampedCount(number))
        case "partial_images": partialImages = max(partialImages, Self.clampedPartials(number))
        default: break
        }
    }

    /// Whether a size was read (a later one replaces it only when dearer).
    private var sizeRead = false

    /// The most output tokens each image drawn may cost, its partial images included; `nil` for
    /// DALL·E, which bills by the image, not in tokens (its answers report no usage): named, or
    /// the API's default when no model is named and nothing only GPT Image takes is set.
    ///
    /// At gpt-image-2's high-quality price of a 1024×1024 image (7,024), for every 1024×1024 of
    /// the size asked, whatever the quality (a lower one costs less); a size of `auto`, or none,
    /// is the largest the models draw (3840×2160).
    public var worstCaseOutputPerImage: Int? {
        if let model, model.hasPrefix("dall-e") { return nil }
        if model == nil, !namesGPTImageParameter { return nil }
        let pixels = Self.pixels(of: size) ?? Self.largestImage
        let megapixels = (pixels + Self.pixelsPerUnit - 1) / Self.pixelsPerUnit
        return max(1, megapixels) * Self.tokensPerUnit + partialImages * Self.partialImageTokens
    }

    /// The most an edit's input images may cost: each at OpenAI's vision price for its size
    /// (``ImagePricing``), or the most any image costs there when its size cannot be read.
    public var worstCaseInputImages: Int {
        let pricing = ImagePricing.openAI(model: model)
        return inputImages.reduce(0) { $0 + ($1.worstCaseTokens(pricedBy: pricing) ?? 0) }
    }

    // MARK: Prices

    static let pixelsPerUnit = 1024 * 1024
    static let tokensPerUnit = 7_024
    static let partialImageTokens = 100
    static let largestImage = 3840 * 2160

    /// The pixels of a `WxH` size, each edge at most 3840 (a larger one is refused).
    static func pixels(of size: String?) -> Int? {
        guard let size else { return nil }
        let edges = size.lowercased().split(separator: "x")
        guard edges.count == 2, let width = Int(edges[0]), let height = Int(edges[1]), width > 0, height > 0
        else { return nil }
        return min(width, 3840) * min(height, 3840)
    }

    private static func clampedCount(_ value: Double?) -> Int {
        guard let value, value.isFinite else { return 1 }
        return Int(min(max(value, 1), 10))
    }

    private static func clampedPartials(_ value: Double?) -> Int {
        guard let value, value.isFinite else { return 0 }
        return Int(min(max(value, 0), 3))
    }
}
