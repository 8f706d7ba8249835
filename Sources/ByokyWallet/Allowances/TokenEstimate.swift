import ByokyCore
import ByokyTranslate
import NIOCore

/// The most tokens a request may use, held against a token budget (an app's caps, a gift's
/// budget) before it is sent: its input plus the output it allows itself, for every answer it
/// asks for.
///
/// The input is the wallet's estimate of the body (a token for every four bytes), unless the
/// request names input the provider reads itself (``ReferencedInput``: a stored file, a URL, an
/// earlier response, a tool the provider runs): then its bytes say nothing of its cost, and the
/// model's whole context window is held. Several answers (`n`, `best_of`, Gemini's
/// `candidateCount`) each write up to the output limit.
struct TokenEstimate: Sendable, Hashable {
    /// The tokens to hold.
    let tokens: Int
    /// Input the request names instead of carrying, when it does (its input is held at the
    /// model's context window).
    let referencedInput: ReferencedInput?

    /// Output assumed when a request sets no limit and the model is not in the catalog.
    static let defaultMaximumOutput = 4096
    /// The context window assumed for a model the catalog does not know: the largest a provider
    /// offers today (2M tokens).
    static let defaultContextWindow = 2_097_152
    /// The most answers one request is held for (OpenAI accepts `n` up to 128).
    static let maximumChoices = 1024
    /// The largest body read for its limits and references; a larger one is held at its bytes,
    /// past any context window.
    static let largestReadBody = 10_485_760

    static func worstCase(for request: ProxyRequest, model: String?) -> TokenEstimate {
        // The same estimate a routed app's token count is answered with.
        var input = TokenCounting.estimate(bodyBytes: request.body.readableBytes)
        var body: JSONObject?
        if request.body.readableBytes <= largestReadBody,
            case .object(let parsed)? = try? JSONNode.parse(request.body.readableBytesView)
        {
            body = parsed
        }
        // An embeddings request writes no tokens: nothing is held for an answer's output.
        let family = ProviderRegistry.provider(request.provider)?.family
        if EmbeddingsEndpoint.matches(path: request.path, family: family) {
            return TokenEstimate(tokens: input, referencedInput: nil)
        }
        let referenced = body.flatMap { ReferencedInput.first(in: $0, family: family) }
        if referenced != nil {
            input = max(input, model.flatMap(ModelCatalog.model)?.contextWindow ?? defaultContextWindow)
        }
        let output = maximumOutput(of: body, model: model) * choices(in: body)
        return TokenEstimate(tokens: input + output, referencedInput: referenced)
    }

    /// The output one answer allows itself: the largest of its output limits (`max_tokens`,
    /// `max_completion_tokens`, `max_output_tokens`, Gemini's `generationConfig.maxOutputTokens`
    /// in either spelling), or the model's maximum when it sets none. A limit named twice counts
    /// at its largest: providers' parsers differ on which of two members they keep, and a
    /// reservation must cover the one kept.
    static func maximumOutput(of body: JSONObject?, model: String?) -> Int {
        let largest = largestNumber(
            in: body,
            named: ["max_tokens", "max_completion_tokens", "max_output_tokens"],
            generationNames: ["maxOutputTokens", "max_output_tokens"]
        )
        if let largest { return Int(min(largest, 10_000_000)) }
        return model.flatMap(ModelCatalog.model)?.maxOutputTokens ?? defaultMaximumOutput
    }

    /// How many answers the request asks for: OpenAI's `n` (and the legacy completions'
    /// `best_of`, which are all written and charged), Gemini's `candidateCount`; at least one.
    static func choices(in body: JSONObject?) -> Int {
        let largest = largestNumber(
            in: body,
            named: ["n", "best_of"],
            generationNames: ["candidateCount", "candidate_count"]
        )
        return Int(min(max(largest ?? 1, 1), Double(maximumChoices)).rounded(.up))
    }

    /// The largest positive number among `body`'s members `names` and its generation config's
    /// (`generationConfig`, `generation_config`) members `generationNames`.
    private static func largestNumber(
        in body: JSONObject?,
        named names: [String],
        generationNames: [String]
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
        return largest
    }

    /// Why a request needs more than its budget has left, when its size does not tell: the input
    /// it names, which may fill the model's context window.
    var refusalExplanation: String {
        guard let referencedInput else { return "" }
        return
            "; it names input the provider reads itself (\(referencedInput.description)), which may fill the model's whole context window: send that content in the request itself, or ask the owner for a larger budget"
    }
}
