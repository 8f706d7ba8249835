import ByokyCore

@testable import ByokyTranslate

/// Short helpers for one-off translations in tests.
enum Translate {
    static func request(
        _ json: String,
        from source: APIFamily,
        to provider: ProviderID,
        model: String,
        path: String? = nil
    ) throws -> (body: JSONNode, outbound: ChatTranslator.OutboundRequest) {
        let outbound = try ChatTranslator.translateRequest(
            Array(json.utf8),
            path: path ?? Fixtures.chatPath(source),
            from: source,
            to: ProviderRegistry.provider(provider)!,
            model: model,
            requestID: "req1"
        )
        return (try JSONNode.parse(outbound.body), outbound)
    }

    static func response(
        _ json: String,
        from target: APIFamily,
        to source: APIFamily,
        status: Int = 200
    ) throws -> JSONNode {
        let translated = ChatTranslator(context: Fixtures.context(from: source, to: target)).translateResponse(
            Array(json.utf8),
            status: status
        )
        return try JSONNode.parse(translated.body)
    }

    static func stream(_ sse: String, from target: APIFamily, to source: APIFamily, includeUsage: Bool = true) -> String
    {
        var translator = ChatTranslator(
            context: Fixtures.context(from: source, to: target, streaming: true, includeUsage: includeUsage)
        )
        .makeStreamTranslator()
        let output = translator.translate(Array(sse.utf8)) + translator.finish()
        return String(decoding: output, as: UTF8.self)
    }
}
