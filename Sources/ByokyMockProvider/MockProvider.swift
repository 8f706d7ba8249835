import ByokyCore
public import Hummingbird

/// A deterministic stand-in for the real providers, speaking all four API families at their real
/// paths with real JSON bodies and exact server-sent event sequences.
///
/// - Replies echo the start of the last user message, then count words up to the configured length.
/// - A request that offers tools (and does not end in a tool result) gets a call to its first tool,
///   with arguments filled from the tool's JSON Schema.
/// - The model name steers it: `mock-error-<status>` answers that error in the family's format,
///   `mock-words-<n>` makes the reply `n` words long, `mock-long-words-<n>` makes it `n` words of
///   16 KiB each (megabytes in a few events), `mock-paced-<ms>` waits that long between stream
///   events.
/// - `POST /v1/responses` speaks OpenAI's Responses API (a response object, or its event stream).
/// - `POST /v1/embeddings` answers OpenAI's embeddings (floats or base64), counting the input alone.
/// - `POST /v1/files` takes an OpenAI file upload (multipart) and answers its file object.
/// - `POST /v1/moderations` answers OpenAI's moderation results (none flagged, no usage).
/// - `POST /v1/audio/transcriptions` and `…/translations` take an audio upload (multipart) and
///   answer its transcript, with whisper's usage by the audio's length; `POST /v1/audio/speech`
///   answers audio for its text, with no usage.
/// - `POST /v1/images/generations` (JSON), `…/images/edits` and `…/images/variations`
///   (multipart) answer the images drawn, with the GPT Image models' usage in tokens (none for
///   DALL·E).
/// - A path it does not serve gets 404 in the provider's error format, as the real ones answer.
/// - When ``Configuration/apiKey`` is set, each request must carry it in its family's auth header.
public enum MockProvider {
    /// What the mock charges for each document a request names instead of carrying (a file by
    /// id or URI, a document at a URL, an earlier response), in input tokens: as a
    /// provider reads it into the model's context, its size is not the request's.
    public static let referencedDocumentTokens = 50_000
    /// What the mock's Gemini reports as read by its own tools (`toolUsePromptTokenCount`) when a
    /// request offers Google Search, URL context or code execution: the results the model read.
    public static let providerToolTokens = 30_000
    /// What the mock charges for each image or audio clip a request carries as base64, and each
    /// image it names at a URL, in input tokens: as a provider prices an image by its pixels and
    /// audio by its seconds, not by the length of their text.
    public static let inlineMediaTokens = 1_000
    /// What the mock's GPT Image models charge for each image drawn, in output tokens.
    public static let drawnImageTokens = 1_056

    /// How the mock behaves.
    public struct Configuration: Sendable {
        /// The key every request must present; `nil` accepts any request.
        public var apiKey: String?
        /// Delay before the response head.
        public var responseDelay: Duration
        /// Delay between stream events.
        public var eventDelay: Duration
        /// Runs between a stream's last event and the end of its body (a provider slow to close;
        /// a test holds streams open with it).
        public var beforeStreamEnd: (@Sendable () async throws -> Void)?
        /// Words in a reply when the model name does not say.
        public var defaultWordCount: Int
        /// Hears every request that reaches the mock, routed or not (tests check what got through).
        public var onRequest: (@Sendable (ObservedRequest) -> Void)?
        /// Hears the body of every chat, completion, Responses call and other JSON request the
        /// mock answers, as it arrived (tests check what the wallet wrote into it).
        public var onBody: (@Sendable (ObservedBody) -> Void)?

        public init(
            apiKey: String? = nil,
            responseDelay: Duration = .zero,
            eventDelay: Duration = .zero,
            defaultWordCount: Int = 12,
            onRequest: (@Sendable (ObservedRequest) -> Void)? = nil,
            onBody: (@Sendable (ObservedBody) -> Void)? = nil,
            beforeStreamEnd: (@Sendable () async throws -> Void)? = nil
        ) {
            self.onBody = onBody
            self.apiKey = apiKey
            self.responseDelay = responseDelay
            self.eventDelay = eventDelay
            self.beforeStreamEnd = beforeStreamEnd
            self.defaultWordCount = defaultWordCount
            self.onRequest = onRequest
        }
    }

    /// What the mock saw of a request: enough for a test to tell whether a key reached it.
    public struct ObservedRequest: Sendable {
        /// The method, e.g. `POST`.
        public let method: String
        /// The path as it arrived, still percent-encoded, without the query.
        public let path: String
        /// Whether the request carried the configured ``Configuration/apiKey`` in any header.
        public let carriedKey: Bool
        /// The body's declared length (`content-length`), when it declared one.
        public let contentLength: Int?
    }

    /// A JSON request body the mock read (``Configuration/onBody``).
    public struct ObservedBody: Sendable {
        /// The path as it arrived, without the query.
        public let path: String
        /// The body's bytes.
        public let body: [UInt8]
    }

    /// Reports each request to ``Configuration/onRequest`` before routing.
    struct ObservingMiddleware: RouterMiddleware {
        typealias Context = BasicRequestContext
        let configuration: Configuration

        @concurrent func handle(
            _ request: Request,
            context: BasicRequestContext,
            next: @concurrent (Request, BasicRequestContext) async throws -> Response
        ) async throws -> Response {
            if let observe = configuration.onRequest {
                let key = configuration.apiKey
                let carriedKey = key.map { key in request.headers.contains { $0.value.contains(key) } } ?? false
                observe(
                    ObservedRequest(
                        method: request.method.rawValue,
                        path: request.uri.path,
                        carriedKey: carriedKey,
                        contentLength: request.headers[.contentLength].flatMap { Int($0) }
                    )
                )
            }
            return try await next(request, context)
        }
    }

    /// The largest request body the mock reads.
    public static let maximumRequestSize = 32 * 1024 * 1024

    /// A router with every route of the mock.
    public static func makeRouter(configuration: Configuration = Configuration()) -> Router<BasicRequestContext> {
        let router = Router()
        if configuration.onRequest != nil { router.add(middleware: ObservingMiddleware(configuration: configuration)) }
        let handler = MockHandler(configuration: configuration)
        router.add(middleware: UnknownRouteMiddleware(handler: handler))
        router.add(middleware: AccountHeadersMiddleware())
        router.get("/health") { _, _ in "ok" }
        router.post("/v1/messages") { request, context in
            try await handler.respond(to: request, context: context, family: .anthropic, model: nil)
        }
        router.post("/v1/messages/count_tokens") { request, context in
            try await handler.respond(to: request, context: context, family: .anthropic, model: nil, countsTokens: true)
        }
        for path in [
            "/v1/chat/completions", "/chat/completions", "/openai/v1/chat/completions",
            "/inference/v1/chat/completions",
            "/api/v1/chat/completions", "/openai/deployments/{deployment}/chat/completions",
        ] {
            router.post(RouterPath(path)) { request, context in
                try await handler.respond(to: request, context: context, family: .openai, model: nil)
            }
        }
        // Gemini serves the same methods under the stable `v1` and the `v1beta` paths.
        for prefix in ["/v1beta/models/{action}", "/v1/models/{action}"] {
            router.post(RouterPath(prefix)) { request, context in
                let action = context.parameters.get("action") ?? ""
                guard let colon = action.lastIndex(of: ":") else {
                    return handler.error(.notFound, "Unknown Gemini method", family: .gemini)
                }
                return try await handler.respond(
                    to: request,
                    context: context,
                    family: .gemini,
                    model: String(action[..<colon]),
                    geminiMethod: String(action[action.index(after: colon)...])
                )
            }
        }
        for path in ["/v1/embeddings", "/openai/v1/embeddings", "/openai/deployments/{deployment}/embeddings"] {
            router.post(RouterPath(path)) { request, _ in try await handler.respondToEmbeddings(request) }
        }
        router.post("/v1/moderations") { request, _ in try await handler.respondToModerations(request) }
        for path in ["/v1/responses", "/openai/v1/responses"] {
            router.post(RouterPath(path)) { request, _ in try await handler.respondToResponses(request) }
        }
        router.get("/v1/responses/{id}") { request, context in
            handler.retrieveResponse(request, id: context.parameters.get("id") ?? "")
        }
        router.get("/v1/chat/completions/{id}") { request, context in
            handler.retrieveChatCompletion(request, id: context.parameters.get("id") ?? "")
        }
        router.post("/v1/chat/completions/{id}") { request, context in
            try await handler.updateChatCompletion(request, id: context.parameters.get("id") ?? "")
        }
        router.post("/v1/conversations") { request, _ in try await handler.createConversation(request) }
        router.post("/v1/conversations/{id}/items") { request, context in
            try await handler.addConversationItems(request, conversation: context.parameters.get("id") ?? "")
        }
        router.post("/v1/files") { request, _ in try await handler.uploadFile(request) }
        router.post("/v1/audio/speech") { request, _ in try await handler.speak(request) }
        for path in ["/v1/images/generations", "/v1/images/edits", "/v1/images/variations"] {
            router.post(RouterPath(path)) { request, _ in try await handler.draw(request) }
        }
        for path in ["/v1/audio/transcriptions", "/v1/audio/translations"] {
            router.post(RouterPath(path)) { request, _ in try await handler.transcribe(request) }
        }
        let geminiFiles = MockGeminiFiles()
        for path in ["/upload/v1beta/files", "/upload/v1/files"] {
            router.post(RouterPath(path)) { request, _ in
                try await handler.respondToGeminiUpload(request, files: geminiFiles)
            }
        }
        for version in ["v1beta", "v1"] {
            router.get(RouterPath("/\(version)/files")) { request, _ in
                handler.respondToGeminiFiles(request, name: nil, files: geminiFiles)
            }
            router.get(RouterPath("/\(version)/files/{name}")) { request, context in
                handler.respondToGeminiFiles(request, name: context.parameters.get("name"), files: geminiFiles)
            }
            router.delete(RouterPath("/\(version)/files/{name}")) { request, context in
                handler.respondToGeminiFiles(request, name: context.parameters.get("name"), files: geminiFiles)
            }
        }
        router.post("/v2/chat") { request, context in
            try await handler.respond(to: request, context: context, family: .cohere, model: nil)
        }
        router.get("/v1/models") { request, _ in
            let isGemini = request.headers[.init("x-goog-api-key")!] != nil
            return handler.modelList(for: request, family: isGemini ? .gemini : nil)
        }
        router.get("/v1beta/models") { request, _ in handler.modelList(for: request, family: .gemini) }
        // Named as Gemini's route on the same path is (the router takes one name per position).
        router.get("/v1/models/{action}") { request, context in
            handler.model(context.parameters.get("action") ?? "", for: request)
        }
        return router
    }
}
