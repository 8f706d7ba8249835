public import ByokyCore

/// An app's "how many tokens is this" request (Anthropic's `POST /v1/messages/count_tokens`,
/// Gemini's `POST …/models/{model}:countTokens`) when its owner routes it to a provider of another
/// API family; coding agents ask them to manage their context. A target that counts (Anthropic,
/// Gemini) counts the translated request (``ChatTranslator/translateTokenCountRequest(_:from:to:model:requestID:)``);
/// for one that cannot (the OpenAI family, Cohere), the wallet answers in the app's own format.
///
/// The wallet's count is its estimate of what ordinary text costs (a token for every four bytes
/// of the request body); caps and gift budgets hold more, what the input could cost at worst
/// (`TokenEstimate` in ByokyWallet).
public enum TokenCounting {
    /// Whether `method path` (an app's request under its provider's prefix, without the query)
    /// asks `family` to count the tokens of a chat request, as Anthropic's and Gemini's APIs do.
    public static func isRequest(method: String, path: Substring, family: APIFamily) -> Bool {
        guard method == "POST", countsChats(family) else { return false }
        return CostlessRequest.isTokenCount(path: path, family: family)
    }

    /// Whether `family`'s API counts the tokens of a whole chat request (Anthropic's and Gemini's
    /// do; the OpenAI family's and Cohere's do not).
    public static func countsChats(_ family: APIFamily) -> Bool {
        family == .anthropic || family == .gemini
    }

    /// The wallet's estimate of the input tokens of a request whose body is `bodyBytes` long.
    public static func estimate(bodyBytes: Int) -> Int {
        max(1, bodyBytes / 4)
    }

    /// The answer to a count request in `family`'s format, counting `tokens`.
    public static func answer(tokens: Int, family: APIFamily) -> [UInt8] {
        switch family {
        case .gemini:
            let detail = JSONValue.object(["modality": .string("TEXT"), "tokenCount": .number(Double(tokens))])
            return JSONWriter.object([
                ("totalTokens", .number(Double(tokens))), ("promptTokensDetails", .array([detail])),
            ])
        case .anthropic, .openai, .cohere:
            return JSONWriter.object([("input_tokens", .number(Double(tokens)))])
        }
    }
}
