public import ByokyCore

/// Translates one request and its answer between two API families.
///
/// ```swift
/// let outbound = try ChatTranslator.translateRequest(body, path: "/v1/messages", from: .anthropic,
///                                                    to: provider, model: "gpt-5.4", requestID: id)
/// // send outbound.body to outbound.path, then:
/// let reply = outbound.translator.translateResponse(upstreamBody, status: 200)
/// var stream = outbound.translator.makeStreamTranslator()   // for event streams
/// ```
public struct ChatTranslator: Sendable {
    /// The facts of this translation.
    public let context: TranslationContext

    public init(context: TranslationContext) { self.context = context }

    /// A translated request.
    public struct OutboundRequest: Sendable {
        /// The body to send upstream.
        public var body: [UInt8]
        /// The path (and query) of the target's chat endpoint.
        public var path: String
        /// The translator for the answer.
        public var translator: ChatTranslator
        /// What the translation left out.
        public var report: TranslationReport
        /// The documents the translation built, to be let go once the answer is sent.
        public var leftovers: TranslationLeftovers
    }

    /// Translates an app's chat request for `provider`'s family and `model`.
    ///
    /// Throws a ``ByokyError`` (to be sent to the app in its own format) for a path that is not the
    /// source family's chat endpoint, a body that is not JSON, or a feature the target cannot express.
    public static func translateRequest(
        _ body: some Collection<UInt8>,
        path: String,
        from sourceFamily: APIFamily,
        to provider: Provider,
        model: String,
        requestID: String
    ) throws(ByokyError) -> OutboundRequest {
        guard let targetFamily = provider.family else {
            throw ByokyError(.translationNotSupported, "\(provider.displayName) does not take translated requests.")
        }
        guard let endpoint = ChatEndpoint.match(path: path, family: sourceFamily) else {
            throw ByokyError(
                .translationNotSupported,
                "This app is routed to \(provider.displayName), and only chat requests can be translated; "
                    + "this endpoint (\(Self.describe(path))) cannot. Route the app to a provider that speaks the \(sourceFamily.displayName) API to use it.",
                details: ["target": targetFamily.rawValue]
            )
        }
        let node = try parseRequest(body)
        var request = try sourceFamily.adapter.readRequest(node)
        if let model = endpoint.model { request.model = model }
        if endpoint.isStreaming { request.isStreaming = true }
        let context = TranslationContext(
            sourceFamily: sourceFamily,
            targetFamily: targetFamily,
            targetProvider: provider.id,
            sourceModel: request.model,
            targetModel: model,
            isStreaming: request.isStreaming,
            includeStreamUsage: request.includeStreamUsage,
            requestID: requestID
        )
        let (outbound, report) = try write(&request, context: context)
        return OutboundRequest(
            body: outbound.body,
            path: ChatEndpoint.targetPath(provider: provider, model: model, isStreaming: request.isStreaming),
            translator: ChatTranslator(context: context),
            report: report,
            leftovers: TranslationLeftovers(documents: [node] + (outbound.tree.map { [$0] } ?? []), request: request)
        )
    }

    /// An app's request body as a JSON tree.
    static func parseRequest(_ body: some Collection<UInt8>) throws(ByokyError) -> JSONNode {
        do {
            return try JSONNode.parse(body)
        } catch {
            throw .malformedRequest(error.description)
        }
    }

    /// `request` written for the target of `context` (a plan of tool calls as text, for every
    /// target but Cohere), and the report of what the writing left out.
    static func write(
        _ request: inout ChatRequest,
        context: TranslationContext
    ) throws(ByokyError) -> (WrittenRequest, TranslationReport) {
        if context.targetFamily != .cohere { ToolPlanAsText.apply(to: &request) }
        var report = TranslationReport()
        let written = try context.targetFamily.adapter.writeRequest(request, context: context, report: &report)
        return (written, report)
    }

    /// Translates a whole (non-stream) upstream answer; error bodies become the app's error format
    /// with the same status. An answer that cannot be read becomes a 502 in the app's format.
    ///
    /// `leftovers`: the documents read and written, for a server to let go once the answer is sent.
    public func translateResponse(
        _ body: some Collection<UInt8>,
        status: Int
    ) -> (status: Int, body: [UInt8], report: TranslationReport, leftovers: TranslationLeftovers) {
        let source = context.sourceFamily.adapter
        let target = context.targetFamily.adapter
        var report = TranslationReport()
        let node = try? JSONNode.parse(body)
        let read = node.map { [$0] } ?? []
        guard (200..<300).contains(status) else {
            let error = target.readError(node, status: status)
            let leftovers = TranslationLeftovers(documents: read, answer: node)
            return (status, source.writeError(error).jsonBytes, report, leftovers)
        }
        do throws(ByokyError) {
            guard let node else { throw ByokyError.malformedUpstream(context.targetFamily, "the body is not JSON") }
            if context.countsTokens {
                let tokens = try Self.tokenCount(in: node, from: context.targetFamily)
                let written = TokenCounting.answer(tokens: tokens, family: context.sourceFamily)
                return (status, written, report, TranslationLeftovers(documents: read, answer: node))
            }
            var response = try target.readResponse(node, context: context)
            if context.sourceFamily != .cohere { response.content = ToolPlanAsText.apply(to: response.content) }
            let written = source.writeResponse(response, context: context, report: &report)
            return (status, written, report, TranslationLeftovers(documents: read, response: response, answer: node))
        } catch {
            let failure = ProviderErrorInfo(type: "api_error", message: error.message, status: 502)
            let leftovers = TranslationLeftovers(documents: read, answer: node)
            return (502, source.writeError(failure).jsonBytes, report, leftovers)
        }
    }

    /// The error body for `error` in the app's format.
    public func errorBody(_ error: ByokyError) -> [UInt8] {
        ErrorBody.json(for: error, family: context.sourceFamily)
    }

    /// A translator for the upstream's event stream.
    public func makeStreamTranslator() -> StreamTranslator {
        StreamTranslator(context: context)
    }

    private static func describe(_ path: String) -> String {
        let clean = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        return String(clean.prefix(80))
    }
}
