public import ByokyCore

/// A routed app's token count sent to the provider it is routed to, when that provider counts:
/// Anthropic's `POST /v1/messages/count_tokens` and Gemini's `POST …/models/{model}:countTokens`
/// take a whole chat request, so the app's request is translated as a chat would be, sent to the
/// target's count endpoint, and the target's count comes back in the app's format. The provider
/// counts with the tokenizer of the model that will answer, which the wallet's estimate (a token
/// for every four bytes) cannot: an image of a megabyte is some fifteen hundred tokens, not a
/// quarter of a million.
extension ChatTranslator {
    /// The members of an Anthropic count request; its API refuses any other (`max_tokens`,
    /// `stream`, sampling settings).
    static let anthropicCountMembers: Set<String> = ["model", "messages", "system", "tools", "tool_choice", "thinking"]

    /// Translates an app's token-count request (Anthropic's or Gemini's) into `provider`'s count
    /// request for `model`; the translator turns the count answer into the app's format.
    ///
    /// - Throws: ``ByokyError`` as ``translateRequest(_:path:from:to:model:requestID:)`` does, and
    ///   `TRANSLATION_NOT_SUPPORTED` for a target whose API cannot count.
    public static func translateTokenCountRequest(
        _ body: some Collection<UInt8>,
        from sourceFamily: APIFamily,
        to provider: Provider,
        model: String,
        requestID: String
    ) throws(ByokyError) -> OutboundRequest {
        guard let targetFamily = provider.family, TokenCounting.countsChats(targetFamily) else {
            throw ByokyError(.translationNotSupported, "\(provider.displayName) cannot count tokens.")
        }
        let node = try parseRequest(body)
        // Gemini's count takes either `contents` or a whole `generateContentRequest`.
        let chat =
            sourceFamily == .gemini
            ? (node["generateContentRequest"] ?? node["generate_content_request"] ?? node) : node
        var request = try sourceFamily.adapter.readRequest(chat)
        request.isStreaming = false
        let context = TranslationContext(
            sourceFamily: sourceFamily,
            targetFamily: targetFamily,
            targetProvider: provider.id,
            sourceModel: request.model,
            targetModel: model,
            requestID: requestID,
            countsTokens: true
        )
        let (written, report) = try write(&request, context: context)
        // Both counting families' writers build the request as a tree.
        guard let chatRequest = written.tree?.objectValue else {
            throw ByokyError(.internalError, "The translated count request is not a JSON object")
        }
        let count: JSONNode
        let path: String
        if targetFamily == .gemini {
            var members = [("model", JSONNode.string("models/" + model))]
            for member in chatRequest where member.key != "model" { members.append((member.key, member.value)) }
            count = .object(JSONObject([("generateContentRequest", .object(JSONObject(members)))]))
            path = APIFamily.geminiPath(model: model, method: "countTokens")
        } else {
            let members = chatRequest.filter { anthropicCountMembers.contains($0.key) }.map { ($0.key, $0.value) }
            count = .object(JSONObject(members))
            path = "/v1/messages/count_tokens"
        }
        return OutboundRequest(
            body: count.jsonBytes,
            path: path,
            translator: ChatTranslator(context: context),
            report: report,
            leftovers: TranslationLeftovers(documents: [node, count], request: request)
        )
    }

    /// The count in a target's count answer: Gemini's `totalTokens`, Anthropic's `input_tokens`.
    static func tokenCount(in answer: JSONNode, from family: APIFamily) throws(ByokyError) -> Int {
        let count = answer["totalTokens"] ?? answer["total_tokens"] ?? answer["input_tokens"]
        guard let tokens = count?.intValue, tokens >= 0 else { throw .malformedUpstream(family, "no token count") }
        return tokens
    }
}
