import ByokyCore
import ByokyTranslate
import NIOCore

/// The most tokens a request may use, held against a token budget (an app's caps, a gift's
/// budget) before it is sent: its input plus the output it allows itself, for every answer it
/// asks for.
///
/// The input is at most a token for every byte of the body's text (a token covers at least one
/// byte of text; the estimate a token count is answered with, a token for every four bytes, is
/// what ordinary text costs, and a hostile app's text can cost four times that), and for each
/// image or audio clip sent as base64, the most a provider charges for it (``InlineMedia``: by an
/// image's size, read from its header; by audio's length); never more than the model's context window
/// (a longer request is refused at no cost). A request whose input its size does not bound
/// (``UnboundedInput``: a stored file, a URL, an earlier response, a tool the provider runs, a
/// document sent inline) holds the whole context window. The output is the request's own limit,
/// else its model's; a model the catalog does not know, asked with no limit, may write as much as
/// any model does. Several answers (`n`, `best_of`, Gemini's `candidateCount`) each write up to
/// the output limit. A request that names no limit and does not fit its budget is sent with an
/// output that fits (``fitted(within:)``) rather than refused.
struct TokenEstimate: Sendable, Hashable {
    /// The tokens to hold.
    let tokens: Int
    /// Input whose cost the request's size does not bound, when it has some (its input is held
    /// at the model's context window).
    var unboundedInput: UnboundedInput? = nil
    /// Whether the output held is ``defaultMaximumOutput`` (a chat with no limit named, its model
    /// unknown).
    var holdsUnlimitedOutput = false
    /// How the hold divides when the wallet may lower its output by sending the request with a
    /// limit (``fitted(within:)``): the request names none and asks a model to write. `nil`
    /// otherwise.
    var adjustableOutput: AdjustableOutput? = nil
    /// The output limit each answer must be sent with for this hold to cover it
    /// (``OutputLimit``), when the hold was fitted to a budget; `nil` when the request goes as it is.
    var fittedOutputLimit: Int? = nil

    /// The parts of a hold whose output the wallet may lower.
    struct AdjustableOutput: Sendable, Hashable {
        /// The input held.
        let input: Int
        /// The answers asked for, each held for the output limit.
        let answers: Int
    }

    /// The fewest output tokens a request is sent with when its output is fitted to a budget;
    /// with fewer left after its input it is refused (an answer cut off after a few words serves
    /// no one, and the refusal tells the app its budget is spent).
    static let minimumFittedOutput = 256

    /// Output assumed when a chat sets no limit and its model is not in the catalog: the most a
    /// catalogued model writes (before, 4,096, while such a model could write 16k or 100k).
    static let defaultMaximumOutput = ModelCatalog.all.map(\.maxOutputTokens).max() ?? 128_000
    /// Output assumed for a request that asks no model to write (images, rerank, speech with no
    /// text), whose cost is not counted in tokens: an answer's worth, charged whole when its
    /// answer reports no usage.
    static let otherRequestOutput = 4096
    /// The context window assumed for a model the catalog does not know: the largest a provider
    /// offers today (2M tokens).
    static let defaultContextWindow = 2_097_152
    /// Bytes of an audio upload held as a token (``InlineMedia``: providers count audio by its
    /// seconds, and a second of the lowest bitrate they take is 1,000 bytes).
    static let audioBytesPerToken = 16
    /// The most answers one request is held for (OpenAI accepts `n` up to 128).
    static let maximumChoices = 1024
    /// The largest body read for its limits and input; a larger one is held at the whole context
    /// window.
    static let largestReadBody = 10_485_760

    /// The hold for `request` (in its app's API) sent to `model` at `target`, the provider that
    /// serves it and prices its images (``ImagePricing``).
    static func worstCase(for request: ProxyRequest, model: String?, servedBy target: ProviderID) -> TokenEstimate {
        // An audio file uploaded to be transcribed or translated (multipart form data).
        if isAudioUpload(path: request.path) { return audioUpload(request) }
        if ImageGeneration.matches(path: request.path), let drawing = imageGeneration(request) {
            return drawing
        }
        var body: JSONObject?
        var limitsUnread = false
        let parsedWhole = request.body.readableBytes <= largestReadBody
        if parsedWhole {
            if case .object(let parsed)? = try? JSONNode.parse(request.body.readableBytesView) { body = parsed }
        } else {
            // Too large to parse here (its input is held at the whole window anyway): its output
            // limits and answer counts are read from its top level alone, every time named.
            let members = request.body.withUnsafeReadableBytes {
                JSONTopLevelScanner.members(named: limitNames, in: $0)
            }
            if let members {
                var limits = JSONObject(capacity: members.count)
                for member in members { limits.appendUnchecked(member.key, member.value) }
                body = limits
            } else {
                limitsUnread = true
            }
        }
        let family = ProviderRegistry.provider(request.provider)?.family
        let known = model.flatMap(ModelCatalog.model)
        let window = known?.contextWindow ?? defaultContextWindow
        // An embeddings request writes no tokens: nothing is held for an answer's output.
        if EmbeddingsEndpoint.matches(path: request.path, family: family) {
            return TokenEstimate(tokens: min(request.body.readableBytes, window))
        }
        var scan = body.map { UnboundedInput.scan($0, family: family) } ?? UnboundedInput.Scan()
        // Images and audio are held at what they may cost where the request is served, their
        // text left out; an image fetched where nothing bounds its price holds the window.
        let pricing = ImagePricing(provider: target, model: model)
        let mediaText = scan.media.reduce(0) { $0 + $1.base64Length }
        var mediaTokens = 0
        for media in scan.media {
            guard let tokens = media.worstCaseTokens(pricedBy: pricing) else {
                scan.unbounded = scan.unbounded ?? .url
                break
            }
            mediaTokens += tokens
        }
        let carried = max(0, request.body.readableBytes - mediaText) + mediaTokens
        let input = scan.unbounded == nil ? min(carried, window) : window
        let named = namedOutputLimit(in: body)
        let writes = asksAModelToWrite(path: request.path, family: family)
        let output =
            named ?? known?.maxOutputTokens
            ?? (writes ? defaultMaximumOutput : speechOutput(path: request.path, body: body) ?? otherRequestOutput)
        // Limits that could not be read could ask for the most answers.
        let answers = limitsUnread ? maximumChoices : choices(in: body)
        return TokenEstimate(
            tokens: input + output * answers,
            unboundedInput: scan.unbounded,
            holdsUnlimitedOutput: named == nil && known == nil && writes,
            adjustableOutput: named == nil && parsedWhole && body != nil
                && OutputLimit.field(provider: request.provider, family: family, path: request.path, query: "") != nil
                ? AdjustableOutput(input: input, answers: answers) : nil
        )
    }

    /// This hold when it fits in `room` tokens. Else, when the wallet may lower the request's
    /// output (``adjustableOutput``), the hold of the request sent with an output limit
    /// (``fittedOutputLimit``) that takes half of what `room` has left after its input, divided
    /// among its answers, and at least ``minimumFittedOutput`` an answer; else `nil`: the request
    /// must be refused.
    ///
    /// Half, not all: a hold lasts until the answer has ended and its usage is recorded, so a
    /// request that took all that is left would refuse every other request of the app meanwhile,
    /// those it sends at the same time and the next one it sends as the answer arrives. With half,
    /// each of several requests at once gets a share (half, a quarter, …), and the next gets half
    /// of what the last one left.
    func fitted(within room: Int) -> TokenEstimate? {
        if tokens <= room { return self }
        guard let adjustable = adjustableOutput else { return nil }
        let available = room - adjustable.input
        let least = Self.minimumFittedOutput * adjustable.answers
        guard available >= least else { return nil }
        let perAnswer = max(least, available / 2) / adjustable.answers
        return TokenEstimate(
            tokens: adjustable.input + perAnswer * adjustable.answers,
            unboundedInput: unboundedInput,
            fittedOutputLimit: perAnswer
        )
    }

    /// The hold of a request for images to be drawn (``ImageGeneration``): its text, the images
    /// an edit uploads at their vision price, and each image asked for at the most it may cost;
    /// with DALL·E, which bills by the image, its text and an answer's worth an image (its
    /// uploads are not priced in tokens: before, an image to vary held a token a byte). `nil`
    /// for a body that is neither JSON nor form data.
    static func imageGeneration(_ request: ProxyRequest) -> TokenEstimate? {
        var drawing: ImageGeneration
        if let parts = formParts(of: request) {
            drawing = ImageGeneration(form: parts)
        } else if case .object(let body)? = try? JSONNode.parse(request.body.readableBytesView) {
            drawing = ImageGeneration(json: body)
        } else {
            return nil
        }
        // Azure OpenAI names the model by its deployment, in the path (`…/deployments/{name}/…`).
        if drawing.model == nil, let deployment = deploymentName(in: request.path) { drawing.model = deployment }
        let text = drawing.inputImages.isEmpty ? request.body.readableBytes : drawing.textBytes
        guard let perImage = drawing.worstCaseOutputPerImage else {
            return TokenEstimate(tokens: text + otherRequestOutput * drawing.count)
        }
        return TokenEstimate(tokens: text + drawing.worstCaseInputImages + perImage * drawing.count)
    }

    /// The parts of `request`'s body when it is `multipart/form-data` (an upload), else `nil`.
    static func formParts(of request: ProxyRequest) -> [MultipartForm.Part]? {
        let contentType = request.headers.first { HeaderText.name($0.name, is: "content-type") }?.value ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        return MultipartForm.parts(of: Array(request.body.readableBytesView), contentType: contentType)
    }

    /// The deployment an Azure OpenAI path names (`/openai/deployments/{name}/…`), if any.
    static func deploymentName(in path: String) -> String? {
        let segments = path.split(separator: "/")
        guard let index = segments.firstIndex(of: "deployments"), index + 1 < segments.count else { return nil }
        return String(segments[index + 1])
    }

    /// Audio tokens held for each character a speech request reads aloud: speech runs about 15
    /// characters a second, priced at about 21 audio tokens a second (OpenAI's gpt-4o-mini-tts),
    /// so about 1.4 a character; four leave room for a slow voice.
    static let speechTokensPerCharacter = 4

    /// The audio a speech request (OpenAI's `…/audio/speech`) may write: by the length of the
    /// text it reads aloud (its answer, audio, reports no usage, so it is charged this whole).
    /// Before, every request held and was charged an answer's worth (4,096 tokens), a word's
    /// reading as much as a page's.
    static func speechOutput(path: String, body: JSONObject?) -> Int? {
        guard path.hasSuffix("/audio/speech"), let input = body?["input"]?.stringValue else { return nil }
        return max(1, input.count * speechTokensPerCharacter)
    }

    /// Audio tokens held for each second of an upload whose length its headers tell: what a
    /// transcription's duration usage is charged (``UsageExtractor``), and more than the models
    /// that count audio in tokens read from a second.
    static let audioTokensPerSecond = 32
    /// Text tokens held for each second of speech a transcript may write (speech runs about
    /// three words a second).
    static let transcriptTokensPerSecond = 8

    /// The hold of an audio upload to be transcribed or translated: by its length when its
    /// headers tell it (``AudioDuration``), else by its bytes (a second of the lowest bitrate
    /// providers take is 1,000 bytes). Whisper models are billed by the length alone; the others
    /// also write the transcript as output tokens. A transcript in a format with no usage
    /// (`text`, `srt`, `vtt`) is charged this hold: before, a minute of WAV held and was charged
    /// 120,000 tokens, where its length bills 1,920.
    static func audioUpload(_ request: ProxyRequest) -> TokenEstimate {
        let byBytes = TokenEstimate(tokens: request.body.readableBytes / audioBytesPerToken + 1 + otherRequestOutput)
        guard let parts = formParts(of: request), let file = parts.first(where: { $0.filename != nil }),
            let seconds = AudioDuration.seconds(of: file.body)
        else { return byBytes }
        let model = parts.first { $0.name == "model" }.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
        let whole = Int(min(seconds, 1e7).rounded(.up))
        let fields = parts.reduce(0) { $0 + ($1.filename == nil ? $1.body.count : 0) }
        let audio = whole * audioTokensPerSecond + 1
        let transcript = model.contains("whisper") ? 0 : otherRequestOutput + whole * transcriptTokensPerSecond
        return TokenEstimate(tokens: min(byBytes.tokens, fields + audio + transcript))
    }

    /// Whether `path` (without its query) uploads audio to be transcribed or translated
    /// (OpenAI's, Groq's and Azure OpenAI's `…/audio/transcriptions` and `…/audio/translations`).
    static func isAudioUpload(path: String) -> Bool {
        path.hasSuffix("/audio/transcriptions") || path.hasSuffix("/audio/translations")
    }

    /// Whether `path` (without its query) asks a model to write: a chat, a Responses call, a
    /// legacy completion; its output runs up to the model's maximum unless the request limits it.
    static func asksAModelToWrite(path: String, family: APIFamily?) -> Bool {
        if let family, ChatEndpoint.match(path: path, family: family) != nil { return true }
        switch family {
        case .openai?, nil: return path.hasSuffix("/responses") || path.hasSuffix("/completions")
        case .cohere?: return path.hasSuffix("/v1/chat")
        case .anthropic?, .gemini?: return false
        }
    }

    /// The output one answer allows itself: the largest of its output limits (`max_tokens`,
    /// `max_completion_tokens`, `max_output_tokens`, Gemini's `generationConfig.maxOutputTokens`
    /// in either spelling), or `nil` when it names none. A limit named twice counts at its
    /// largest: providers' parsers differ on which of two members they keep, and a reservation
    /// must cover the one kept.
    static func namedOutputLimit(in body: JSONObject?) -> Int? {
        let largest = largestNumber(
            in: body,
            named: OutputLimit.topLevelNames,
            generationNames: OutputLimit.generationConfigNames
        )
        return largest.map { Int(min($0, 10_000_000)) }
    }

    /// The top-level members a hold reads for the output: the limits and the answer counts.
    static let limitNames = JSONTopLevelScanner.Keys(
        OutputLimit.topLevelNames + ["n", "best_of", "generationConfig", "generation_config"]
    )

    /// How many answers the request asks for: OpenAI's `n` (and the legacy completions'
    /// `best_of`, which are all written and charged), Gemini's `candidateCount`, the images an
    /// Imagen prediction draws (`parameters.sampleCount`, each billed; before, four were held
    /// and charged as one); at least one.
    static func choices(in body: JSONObject?) -> Int {
        let largest = largestNumber(
            in: body,
            named: ["n", "best_of"],
            generationNames: ["candidateCount", "candidate_count"],
            parameterNames: ["sampleCount", "sample_count"]
        )
        return Int(min(max(largest ?? 1, 1), Double(maximumChoices)).rounded(.up))
    }

    /// The largest positive number among `body`'s members `names`, its generation config's
    /// (`generationConfig`, `generation_config`) members `generationNames` and its prediction
    /// parameters' (`parameters`) members `parameterNames`.
    private static func largestNumber(
        in body: JSONObject?,
        named names: [String],
        generationNames: [String],
        parameterNames: [String] = []
    ) -> Double? {
        guard let body else { return nil }
        var largest: Double?
        func consider(_ object: JSONObject, names: [String]) {
            for member in object where names.contains(member.key) {
                if let value = member.value.doubleValue, value.isFinite, value > 0 {
                    largest = max(largest ?? 0, value)
                }
            }
        }
        consider(body, names: names)
        for member in body where member.key == "generationConfig" || member.key == "generation_config" {
            if case .object(let generation) = member.value { consider(generation, names: generationNames) }
        }
        for member in body where member.key == "parameters" && !parameterNames.isEmpty {
            if case .object(let parameters) = member.value { consider(parameters, names: parameterNames) }
        }
        return largest
    }

    /// Why a request needs more than its budget has left, when its size does not tell: the input
    /// it names, which may fill the model's context window; an output with no limit.
    var refusalExplanation: String {
        var explanation = ""
        if let unboundedInput {
            explanation +=
                "; its input includes \(unboundedInput.description), which may fill the model's whole context window: send that content in the request as text or images, or ask the owner for a larger budget"
        }
        if adjustableOutput != nil {
            explanation +=
                "; it names no output limit, and fewer than \(Self.minimumFittedOutput) tokens would be left for an answer after its input: to ask for a shorter one anyway, set a smaller limit (max_tokens, max_completion_tokens, max_output_tokens or maxOutputTokens)"
        } else if holdsUnlimitedOutput {
            explanation +=
                "; it names no output limit for a model the wallet does not know, so the most any model writes (\(Self.defaultMaximumOutput) tokens) is held: set one (max_tokens, max_completion_tokens, max_output_tokens or maxOutputTokens)"
        }
        return explanation
    }
}
