/// Where a request limits the output a model writes, per provider and endpoint, and the request
/// with a limit set there: how the wallet sends a request that names no limit with the output a
/// token budget can still hold, instead of refusing it.
///
/// Each provider reads its own member: Anthropic's Messages and Cohere's chat `max_tokens`;
/// OpenAI's Chat Completions `max_completion_tokens` (its reasoning models refuse `max_tokens`),
/// and so Azure OpenAI's from API version 2024-09-01 (earlier versions know `max_tokens` alone);
/// the other OpenAI-compatible providers' (Groq, Mistral, xAI, DeepSeek, Together, Fireworks,
/// OpenRouter, Perplexity, local servers) `max_tokens`; the Responses
/// API's `max_output_tokens`; Gemini's `generationConfig.maxOutputTokens`.
public enum OutputLimit {
    /// The member that holds a request's output limit.
    public enum Field: Sendable, Hashable {
        /// A top-level member of this name.
        case topLevel(String)
        /// `maxOutputTokens` in Gemini's `generationConfig`.
        case geminiGenerationConfig
    }

    /// The field a request to `provider` (of `family`; `nil` for a local server) at `path`
    /// (without its query) limits its output in, or `nil` for an endpoint whose output the wallet
    /// never limits (one that writes no text, a legacy completion).
    /// `query` matters to Azure OpenAI, whose `api-version` decides the name.
    public static func field(
        provider: ProviderID,
        family: APIFamily?,
        path: some StringProtocol,
        query: some StringProtocol
    ) -> Field? {
        let path = String(path)
        switch family {
        case .anthropic?:
            return path.hasSuffix("/v1/messages") ? .topLevel("max_tokens") : nil
        case .cohere?:
            return path.hasSuffix("/v2/chat") || path.hasSuffix("/v1/chat") ? .topLevel("max_tokens") : nil
        case .gemini?:
            let method = path.split(separator: ":").last
            return path.contains("/models/") && (method == "generateContent" || method == "streamGenerateContent")
                ? .geminiGenerationConfig : nil
        case .openai?, nil:
            if path.hasSuffix("/responses") { return .topLevel("max_output_tokens") }
            if path.hasSuffix("/chat/completions") {
                let current =
                    provider == .openai || (provider == .azureOpenAI && azureTakesCompletionLimit(path, query))
                return .topLevel(current ? "max_completion_tokens" : "max_tokens")
            }
            // Legacy Completions: with no `max_tokens` OpenAI writes 16 tokens, so a limit the
            // wallet set would let them write more than the app would have got.
            return nil
        }
    }

    /// The top-level members that limit a request's output, in any family's API.
    public static let topLevelNames = ["max_tokens", "max_completion_tokens", "max_output_tokens"]
    /// The members of Gemini's generation config that limit its output, in both spellings.
    public static let generationConfigNames = ["maxOutputTokens", "max_output_tokens"]

    /// The members that may already limit a request's output in `family`'s API (top level, or
    /// in Gemini's generation config).
    static func limitNames(of family: APIFamily?) -> [String] {
        switch family {
        case .anthropic?, .cohere?: ["max_tokens"]
        case .gemini?: generationConfigNames
        case .openai?, nil: topLevelNames
        }
    }

    /// `body` with its output limited to `limit` tokens in ``field(provider:family:path:query:)``:
    /// a limit the body names already is lowered to `limit` (never raised; a translated body may
    /// name one its writer chose), else the field is added. `nil` when `body` is not a JSON
    /// object or the endpoint writes no text.
    public static func setting(
        _ limit: Int,
        in body: some Collection<UInt8>,
        provider: ProviderID,
        family: APIFamily?,
        path: some StringProtocol,
        query: some StringProtocol
    ) -> [UInt8]? {
        guard let field = field(provider: provider, family: family, path: path, query: query),
            case .object(var object)? = try? JSONNode.parse(body)
        else { return nil }
        let names = limitNames(of: family)
        switch field {
        case .topLevel(let name):
            if !lowering(names, in: &object, to: limit) { object[name] = .int(limit) }
            if family == .anthropic { fitThinking(in: &object, to: limit) }
        case .geminiGenerationConfig:
            // The config in the spelling the body uses (the last, as Google reads a name twice).
            let configName =
                object.members.last { $0.key == "generationConfig" || $0.key == "generation_config" }?.key
                ?? "generationConfig"
            var config = object[configName]?.objectValue ?? JSONObject()
            if !lowering(names, in: &config, to: limit) { config["maxOutputTokens"] = .int(limit) }
            object[configName] = .object(config)
        }
        return JSONNode.object(object).jsonBytes
    }

    /// Anthropic refuses a thinking budget that is not below `max_tokens`, and one under 1,024
    /// tokens: a budget (a translation may have set one) is lowered below `limit`, and thinking
    /// that cannot fit in `limit` at all is left out.
    private static func fitThinking(in object: inout JSONObject, to limit: Int) {
        guard case .object(var thinking)? = object["thinking"],
            let budget = thinking["budget_tokens"]?.countValue, budget >= limit
        else { return }
        if limit > minimumThinkingBudget {
            thinking["budget_tokens"] = .int(limit - 1)
            object["thinking"] = .object(thinking)
        } else {
            object["thinking"] = nil
        }
    }

    /// The smallest thinking budget Anthropic takes.
    static let minimumThinkingBudget = 1024

    /// Lowers each of `object`'s members named `names` to at most `limit`, leaving one member of
    /// each name; whether any was there.
    private static func lowering(_ names: [String], in object: inout JSONObject, to limit: Int) -> Bool {
        var found = false
        for name in names where object[name] != nil {
            // Every member of the name: a provider may read either of two.
            let named = object.members.filter { $0.key == name }.compactMap { $0.value.countValue }
            object[name] = nil
            object[name] = .int(min(limit, named.max() ?? limit))
            found = true
        }
        return found
    }

    /// Whether Azure OpenAI's Chat Completions at `path` with `query` takes
    /// `max_completion_tokens`: its `v1` API, and dated API versions from 2024-09-01 on.
    private static func azureTakesCompletionLimit(_ path: String, _ query: some StringProtocol) -> Bool {
        if path.contains("/openai/v1/") { return true }
        let version = query.split(separator: "&").first { $0.hasPrefix("api-version=") }?.dropFirst(12)
        guard let version, let first = version.first, first.isNumber else { return true }
        return version >= "2024-09-01"
    }
}
