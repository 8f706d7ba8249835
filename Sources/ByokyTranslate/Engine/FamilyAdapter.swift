internal import ByokyCore

/// One API family's reader and writer for requests, responses, errors and streams. Cross-family
/// translation is always composition through the family-neutral types, never code per pair.
protocol FamilyAdapter {
    static var family: APIFamily { get }

    /// Reads an app's request body.
    static func readRequest(_ body: JSONNode) throws(ByokyError) -> ChatRequest

    /// Writes a request for the target; refuses what the target cannot express.
    static func writeRequest(
        _ request: ChatRequest,
        context: TranslationContext,
        report: inout TranslationReport
    ) throws(ByokyError) -> WrittenRequest

    /// Reads the upstream's successful answer.
    static func readResponse(_ body: JSONNode, context: TranslationContext) throws(ByokyError) -> ChatResponse

    /// Writes an answer in this family's shape for the app, straight to its JSON bytes.
    static func writeResponse(
        _ response: ChatResponse,
        context: TranslationContext,
        report: inout TranslationReport
    ) -> [UInt8]

    /// Reads an upstream error body (any status ≥ 400).
    static func readError(_ body: JSONNode?, status: Int) -> ProviderErrorInfo

    /// Writes an error body in this family's shape.
    static func writeError(_ error: ProviderErrorInfo) -> JSONNode

    /// A reader that turns the upstream's stream events into family-neutral events.
    static func makeStreamReader(context: TranslationContext) -> any StreamEventReader

    /// A writer that turns family-neutral events into this family's stream for the app.
    static func makeStreamWriter(context: TranslationContext) -> any StreamEventWriter
}

/// A request written for the target: its JSON bytes, and the tree they were written from when the
/// writer built one (kept, as the translation's other documents are, to be let go after the answer).
struct WrittenRequest {
    var body: [UInt8]
    var tree: JSONNode?

    /// A request written straight to bytes.
    init(body: [UInt8]) {
        self.body = body
        tree = nil
    }

    /// A request built as a tree, written out.
    init(tree: JSONNode) {
        body = tree.jsonBytes
        self.tree = tree
    }
}

/// Reads one family's server-sent events.
protocol StreamEventReader: Sendable {
    /// Appends the events `event` stands for.
    mutating func read(_ event: ServerSentEvent, into events: inout [StreamEvent])
    /// Whether the stream's final event has been seen.
    var isComplete: Bool { get }
    /// Appends what closes the stream when the upstream has ended; a stream that ended before its
    /// final event yields an error event, never a clean finish.
    mutating func finish(into events: inout [StreamEvent])
}

/// Writes one family's server-sent events.
protocol StreamEventWriter: Sendable {
    mutating func write(_ event: StreamEvent, to output: inout [UInt8])
    /// The report of what the writer had to leave out.
    var report: TranslationReport { get }
}

extension StreamEventReader {
    /// The error event for an upstream that ended too early.
    static func truncation(_ family: APIFamily) -> StreamEvent {
        .error(
            ProviderErrorInfo(
                type: "stream_truncated",
                message: "The \(family.displayName) upstream ended the stream before its final event.",
                status: 502
            )
        )
    }
}

extension APIFamily {
    var adapter: any FamilyAdapter.Type {
        switch self {
        case .anthropic: AnthropicAdapter.self
        case .openai: OpenAIAdapter.self
        case .gemini: GeminiAdapter.self
        case .cohere: CohereAdapter.self
        }
    }
}
