import ByokyCore
import ByokyHTTPServer
import Hummingbird
import NIOCore

/// Answers one request in the family it arrived in.
struct MockHandler: Sendable {
    let configuration: MockProvider.Configuration
    /// What the provider keeps of its answers (OpenAI's stored responses and completions).
    let stored = MockStoredAnswers()

    func respond(
        to request: Request,
        context: BasicRequestContext,
        family: APIFamily,
        model pathModel: String?,
        geminiMethod: String? = nil,
        countsTokens: Bool = false
    ) async throws -> Response {
        if let failure = checkAuth(request, family: family) { return failure }
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        var bytes = Array(body.readableBytesView)
        configuration.onBody?(MockProvider.ObservedBody(path: request.uri.path, body: bytes))
        // Like Google's servers, read Gemini field names in snake_case as well as camelCase.
        if family == .gemini { bytes = Self.geminiNormalized(bytes) }
        guard let parsed = JSONCoding.parse(bytes), case .object(let object) = parsed else {
            return error(.invalidRequest, "The request body is not a JSON object", family: family)
        }
        guard let model = pathModel ?? object["model"]?.stringValue, !model.isEmpty else {
            return error(.invalidRequest, "model: field required", family: family)
        }
        if let requested = requestedError(model: model, family: family) { return requested }
        if family == .anthropic, !countsTokens, let refusal = Self.thinkingRefusal(object) {
            return error(.invalidRequest, refusal, family: family)
        }
        if countsTokens || geminiMethod == "countTokens" {
            if let refusal = Self.countRefusal(object, family: family) {
                return error(.invalidRequest, refusal, family: family)
            }
            // As the chat's usage would count the same body.
            return json(Self.tokenCount(max(1, body.readableBytes / 4), family: family))
        }
        let reply = MockReply(
            family: family,
            request: object,
            model: model,
            bodySize: body.readableBytes,
            defaultWordCount: configuration.defaultWordCount
        )
        if configuration.responseDelay > .zero { try await Task.sleep(for: configuration.responseDelay) }

        let streaming: Bool
        var geminiArray = false
        if family == .gemini {
            streaming = geminiMethod == "streamGenerateContent"
            geminiArray = streaming && request.uri.queryParameters.get("alt") != "sse"
            guard streaming || geminiMethod == "generateContent" else {
                return error(.notFound, "Unknown Gemini method \(geminiMethod ?? "")", family: family)
            }
        } else {
            streaming = object["stream"] == .bool(true)
        }

        if !streaming {
            let answer = MockRenderer.body(reply, family: family)
            // OpenAI keeps a chat completion asked for with `store: true`, to be read back.
            if family == .openai, object["store"] == .bool(true), let parsed = JSONCoding.parse(answer) {
                stored.keep(parsed, as: .chatCompletion)
            }
            return json(answer)
        }
        let includeUsage = object["stream_options"]?["include_usage"] == .bool(true)
        let events = MockRenderer.events(reply, family: family, includeUsage: includeUsage)
        if geminiArray {
            // Without alt=sse Gemini streams one JSON array of responses.
            let items = events.map { String(decoding: $0.data, as: UTF8.self) }
            return json(Array(("[" + items.joined(separator: ",\n") + "]").utf8))
        }
        return stream(events, crlf: family == .gemini, delay: Self.eventDelay(model: model) ?? configuration.eventDelay)
    }

    /// The pause between stream events a `mock-paced-<ms>` model asks for (at most 2 s).
    static func eventDelay(model: String) -> Duration? {
        guard model.hasPrefix("mock-paced-"), let milliseconds = Int(model.dropFirst("mock-paced-".count)) else {
            return nil
        }
        return .milliseconds(min(max(milliseconds, 0), 2000))
    }

    /// Why Anthropic refuses a request's extended thinking, as its API does: a budget under
    /// 1,024 tokens, or one not below `max_tokens`.
    static func thinkingRefusal(_ body: [String: JSONValue]) -> String? {
        guard case .object(let thinking)? = body["thinking"], thinking["type"]?.stringValue == "enabled" else {
            return nil
        }
        guard let budget = thinking["budget_tokens"]?.numberValue, budget >= 1024 else {
            return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024"
        }
        if let maxTokens = body["max_tokens"]?.numberValue, budget >= maxTokens {
            return "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at "
                + "https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size"
        }
        return nil
    }

    /// The members Anthropic's `count_tokens` takes; it refuses any other, as its API does.
    static let anthropicCountMembers: Set<String> = [
        "model", "messages", "system", "tools", "tool_choice", "thinking", "mcp_servers", "output_config",
        "output_format", "context_management", "cache_control",
    ]

    /// Why a count request is refused, as the provider refuses it: an Anthropic count with a
    /// member only a chat takes (`max_tokens`, `stream`), or no messages; a Gemini count with both
    /// `contents` and `generateContentRequest`, or a `generateContentRequest` whose `model` is not
    /// `models/{model}`.
    static func countRefusal(_ body: [String: JSONValue], family: APIFamily) -> String? {
        if family == .gemini {
            guard let whole = body["generateContentRequest"] else { return nil }
            if body["contents"] != nil {
                return "contents and generateContentRequest are mutually exclusive: send one of them"
            }
            guard case .object(let request) = whole, request["model"]?.stringValue?.hasPrefix("models/") == true
            else {
                return "generateContentRequest.model must be of the form models/{model}"
            }
            return nil
        }
        if let extra = body.keys.sorted().first(where: { !anthropicCountMembers.contains($0) }) {
            return "\(extra): Extra inputs are not permitted"
        }
        guard case .array? = body["messages"] else { return "messages: Field required" }
        return nil
    }

    /// A token count as Anthropic's `count_tokens` and Gemini's `countTokens` answer it.
    static func tokenCount(_ tokens: Int, family: APIFamily) -> [UInt8] {
        let count = JSONValue.number(Double(tokens))
        var writer = JSONWriter()
        if family == .gemini {
            let detail = JSONValue.object(["modality": .string("TEXT"), "tokenCount": count])
            writer.writeObject([("totalTokens", count), ("promptTokensDetails", .array([detail]))])
        } else {
            writer.writeObject([("input_tokens", count)])
        }
        return writer.bytes
    }

    /// `POST /v1/files` (OpenAI): reads the multipart upload and answers the file object OpenAI
    /// answers, with the uploaded part's name and size.
    func uploadFile(_ request: Request) async throws -> Response {
        let (parts, file): ([MultipartForm.Part], MultipartForm.Part)
        switch try await readUpload(request) {
        case .refused(let refusal): return refusal
        case .read(let allParts, let upload): (parts, file) = (allParts, upload)
        }
        let purpose = parts.first { $0.name == "purpose" }.map { String(decoding: $0.body, as: UTF8.self) }
        var writer = JSONWriter()
        writer.write(
            .object([
                "object": .string("file"),
                "id": .string("file-mock\(file.body.count)"),
                "purpose": .string(purpose ?? "user_data"),
                "filename": .string(file.filename ?? ""),
                "bytes": .number(Double(file.body.count)),
                "created_at": .number(1_764_000_000),
                "expires_at": .null,
                "status": .string("processed"),
                "status_details": .null,
            ])
        )
        return json(writer.bytes)
    }

    /// What reading an OpenAI multipart upload gave.
    enum UploadReading {
        /// The form's parts, and its `file`.
        case read([MultipartForm.Part], file: MultipartForm.Part)
        /// The answer refusing it.
        case refused(Response)
    }

    /// Reads an OpenAI multipart upload as the API does: refused for a wrong key, a body that is
    /// not multipart form data, or no `file` part.
    func readUpload(_ request: Request) async throws -> UploadReading {
        if let failure = checkAuth(request, family: .openai) { return .refused(failure) }
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        guard let contentType = request.headers[.contentType],
            let parts = MultipartForm.parts(of: Array(body.readableBytesView), contentType: contentType)
        else {
            return .refused(error(.invalidRequest, "The upload is not multipart/form-data", family: .openai))
        }
        guard let file = parts.first(where: { $0.name == "file" && $0.filename != nil }) else {
            return .refused(error(.invalidRequest, "file: field required", family: .openai))
        }
        return .read(parts, file: file)
    }

    func modelList(for request: Request, family: APIFamily? = nil) -> Response {
        let (family, entries) = modelEntries(for: request, family: family)
        let value: JSONValue =
            switch family {
            case .gemini: .object(["models": .array(entries.map(\.value))])
            case .anthropic: .object(["data": .array(entries.map(\.value)), "has_more": .bool(false)])
            default: .object(["object": .string("list"), "data": .array(entries.map(\.value))])
            }
        var writer = JSONWriter()
        writer.write(value)
        return json(writer.bytes)
    }

    /// One model of the list, as the provider's `GET …/models/{id}` answers it; 404 for one it
    /// does not list.
    func model(_ id: String, for request: Request, family: APIFamily? = nil) -> Response {
        let (family, entries) = modelEntries(for: request, family: family)
        guard let entry = entries.first(where: { $0.id == id }) else {
            return error(status: 404, "The model \(id) does not exist", family: family)
        }
        var writer = JSONWriter()
        writer.write(entry.value)
        return json(writer.bytes)
    }

    /// The models listed, each by id and as the family's API describes it: Gemini's when asked on
    /// its path, Anthropic's when the request carries Anthropic's headers, OpenAI's otherwise.
    private func modelEntries(
        for request: Request,
        family: APIFamily?
    ) -> (APIFamily, [(id: String, value: JSONValue)]) {
        let isAnthropic =
            request.headers[.init("anthropic-version")!] != nil
            || request.headers[.init("x-api-key")!] != nil
        if family == .gemini {
            return (
                .gemini,
                ModelCatalog.models(in: .gemini).map {
                    (
                        $0.id,
                        .object([
                            "name": .string("models/\($0.id)"), "displayName": .string($0.displayName),
                            "inputTokenLimit": .number(Double($0.contextWindow)),
                            "supportedGenerationMethods": .array([.string("generateContent")]),
                        ])
                    )
                }
            )
        }
        if isAnthropic {
            return (
                .anthropic,
                ModelCatalog.models(in: .anthropic).map {
                    (
                        $0.id,
                        .object([
                            "type": .string("model"), "id": .string($0.id), "display_name": .string($0.displayName),
                            "created_at": .string("2026-01-01T00:00:00Z"),
                        ])
                    )
                }
            )
        }
        return (
            .openai,
            ModelCatalog.all.map {
                (
                    $0.id,
                    .object([
                        "id": .string($0.id), "object": .string("model"), "created": .number(1_764_000_000),
                        "owned_by": .string("byoky-mock"),
                    ])
                )
            }
        )
    }

    /// The error a `mock-error-<status>` model asks for, in `family`'s format. A rate limit is in
    /// its provider's words, which name the key's account: OpenAI's organization, Anthropic's
    /// organization (a UUID), Gemini's Google Cloud project (in the message and the error's
    /// details); so is Gemini's 403 for a project that has not enabled the API.
    func requestedError(model: String, family: APIFamily) -> Response? {
        guard model.hasPrefix("mock-error-"), let status = Int(model.dropFirst("mock-error-".count)) else { return nil }
        switch (status, family) {
        case (429, .openai):
            return error(
                status: status,
                "Rate limit reached for \(model) in organization \(AccountHeadersMiddleware.openAIOrganization) on "
                    + "tokens per min (TPM): Limit 30000, Used 29950, Requested 120. Please try again in 240ms.",
                family: family
            )
        case (429, .anthropic):
            return error(
                status: status,
                "This request would exceed the rate limit for your organization "
                    + "(\(AccountHeadersMiddleware.anthropicOrganization)) of 30,000 input tokens per minute. For "
                    + "details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers "
                    + "for current usage. Please reduce the prompt length or the maximum tokens requested, or try "
                    + "again later.",
                family: family
            )
        case (429, .gemini), (403, .gemini):
            return googleProjectError(status: status)
        default:
            return error(status: status, "Mock error \(status) requested by the model name", family: family)
        }
    }

    /// Gemini's rate limit (429, `RESOURCE_EXHAUSTED`) or its refusal for a project that has not
    /// enabled the API (403, `PERMISSION_DENIED`), as Google writes them: the key's project
    /// number in the message and in the details' `ErrorInfo`.
    func googleProjectError(status: Int) -> Response {
        let project = AccountHeadersMiddleware.googleProject
        let service = "generativelanguage.googleapis.com"
        let (message, state, reason, metadata): (String, String, String, [(String, JSONValue)]) =
            status == 429
            ? (
                "Quota exceeded for quota metric 'Generate Content API requests per minute' and limit "
                    + "'GenerateContent request limit per minute for a region' of service '\(service)' for consumer "
                    + "'project_number:\(project)'.",
                "RESOURCE_EXHAUSTED", "RATE_LIMIT_EXCEEDED",
                [("service", .string(service)), ("consumer", .string("projects/\(project)"))]
            )
            : (
                "Generative Language API has not been used in project \(project) before or it is disabled. Enable "
                    + "it by visiting https://console.developers.google.com/apis/api/\(service)/overview?project="
                    + "\(project) then retry.",
                "PERMISSION_DENIED", "SERVICE_DISABLED",
                [
                    ("consumer", .string("projects/\(project)")), ("containerInfo", .string(project)),
                    ("service", .string(service)),
                ]
            )
        var writer = JSONWriter()
        writer.writeObject([
            (
                "error",
                .object([
                    "code": .number(Double(status)), "message": .string(message), "status": .string(state),
                    "details": .array([
                        .object([
                            "@type": .string("type.googleapis.com/google.rpc.ErrorInfo"), "reason": .string(reason),
                            "domain": .string("googleapis.com"),
                            "metadata": .object(Dictionary(uniqueKeysWithValues: metadata)),
                        ])
                    ]),
                ])
            )
        ])
        var response = json(writer.bytes)
        response.status = HTTPResponse.Status(code: status)
        return response
    }

    /// Gemini JSON with its field names in camelCase, as Google's servers read snake_case and
    /// camelCase alike; bytes that are not JSON as they are.
    static func geminiNormalized(_ bytes: [UInt8]) -> [UInt8] {
        guard let node = try? JSONNode.parse(bytes) else { return bytes }
        return Array(GeminiFieldNames.normalized(node).jsonString.utf8)
    }

    func error(_ code: ByokyError.Code, _ message: String, family: APIFamily) -> Response {
        error(status: code.httpStatus, message, family: family)
    }

    func error(status: Int, _ message: String, family: APIFamily) -> Response {
        let code: ByokyError.Code =
            switch status {
            case 400: .invalidRequest
            case 401: .unauthorized
            case 403: .originNotAllowed
            case 404: .notFound
            case 429: .rateLimited
            case 503: .bridgeUnavailable
            default: .internalError
            }
        let body = ErrorBody.json(for: ByokyError(code, message), family: family)
        var response = json(body)
        response.status = HTTPResponse.Status(code: status)
        return response
    }

    func checkAuth(_ request: Request, family: APIFamily) -> Response? {
        guard let expected = configuration.apiKey else { return nil }
        var presented: [String] = []
        for name in ["x-api-key", "api-key", "x-goog-api-key"] {
            if let value = request.headers[.init(name)!] { presented.append(value) }
        }
        if let authorization = request.headers[.authorization],
            let token = UpstreamAuthScheme.bearer.credential(fromHeaderValue: authorization)
        {
            presented.append(token)
        }
        if family == .gemini, let key = request.uri.queryParameters.get("key") { presented.append(key) }
        if presented.contains(where: { ConstantTime.equals($0, expected) }) { return nil }
        return error(.unauthorized, "Invalid API key", family: family)
    }

    func json(_ bytes: [UInt8]) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json", .init("request-id")!: "req_mock"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }

    func stream(_ events: [ServerSentEvent], crlf: Bool, delay: Duration) -> Response {
        let beforeEnd = configuration.beforeStreamEnd
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: .init { writer in
                for event in events {
                    var sse = SSEWriter()
                    sse.write(event)
                    var bytes = sse.takeBytes()
                    if crlf { bytes = MockRenderer.crlfLineEnds(bytes) }
                    try await writer.write(ByteBuffer(bytes: bytes))
                    if delay > .zero { try await Task.sleep(for: delay) }
                }
                try await beforeEnd?()
                try await writer.finish(nil)
            }
        )
    }
}
