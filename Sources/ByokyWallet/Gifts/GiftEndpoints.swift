import ByokyCore
import ByokyTranslate

/// What a gift serves: the requests its token budget is for (chats, embeddings, token counts)
/// and the model list and look-up its recipient's SDK asks as it starts. Nothing else of the
/// giver's account: a gift's recipient may be a stranger (gifts are listed on a public board),
/// and with the giver's key any other endpoint would read or change what the giver keeps at the
/// provider (files, batches and their results, stored responses, fine-tunes) or cost what no
/// usage reports. The original served any method and path on the provider's host.
enum GiftEndpoints {
    /// Whether a gift of `provider` serves `method pathAndQuery` (the path under the provider's
    /// base URL).
    static func serves(method: String, pathAndQuery: String, of provider: Provider) -> Bool {
        if ModelListing.request(method: method, pathAndQuery: pathAndQuery, of: provider) != nil { return true }
        guard method == "POST" else { return false }
        let path = pathAndQuery.prefix { $0 != "?" }
        if let chat = provider.chatPath, path == chat.prefix(while: { $0 != "?" }) { return true }
        guard let family = provider.family else { return false }
        if ChatEndpoint.match(path: String(path), family: family) != nil { return true }
        if CostlessRequest.isTokenCount(path: path, family: family) { return true }
        switch family {
        case .openai:
            return path.hasSuffix("/v1/embeddings") || path.hasSuffix("/v1/responses")
        case .gemini:
            return path.hasPrefix("/v1") && (path.hasSuffix(":embedContent") || path.hasSuffix(":batchEmbedContents"))
        case .cohere:
            return path == "/v2/embed"
        case .anthropic:
            return false
        }
    }

    /// The refusal of a request a gift does not serve.
    static let refusal = ByokyError(
        .providerUnavailable,
        "A gift serves chats, embeddings, token counts and model lists only"
    )
}
