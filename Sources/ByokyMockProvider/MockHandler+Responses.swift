import ByokyCore
import Hummingbird

extension MockHandler {
    /// `POST /v1/responses` (OpenAI's Responses API, also under Azure's and Groq's `/openai/v1`):
    /// refuses what the API refuses (an unknown member, `stream_options.include_usage`), then
    /// answers the reply a Chat Completions request of the same input would get, as a response
    /// object or as the API's event stream.
    func respondToResponses(_ request: Request) async throws -> Response {
        let read: OpenAIRequestRead
        switch try await readOpenAIRequest(request, refusing: MockRenderer.responsesRefusal) {
        case .refused(let refusal): return refusal
        case .read(let request): read = request
        }
        let (object, model) = (read.object, read.model)
        if let requested = requestedError(model: model, family: .openai) { return requested }
        let reply = MockReply(
            family: .openai,
            request: MockRenderer.chatShape(ofResponsesRequest: object),
            original: object,
            model: model,
            bodySize: read.size,
            defaultWordCount: configuration.defaultWordCount
        )
        if configuration.responseDelay > .zero { try await Task.sleep(for: configuration.responseDelay) }
        guard object["stream"] == .bool(true) else {
            let answer = MockRenderer.responsesBody(reply, request: object)
            // In the background: answered at once, queued, with no output or usage; kept as it
            // will be when read back, completed, usage and all.
            if object["background"] == .bool(true), case .object(var completed)? = JSONCoding.parse(answer) {
                completed["id"] = .string(stored.makeID("resp_"))
                completed["background"] = .bool(true)
                stored.keep(.object(completed), as: .response)
                var queued = completed
                queued["status"] = .string("queued")
                queued["output"] = .array([])
                queued["usage"] = .null
                return json(MockRenderer.bytes(.object(queued)))
            }
            // Responses are kept unless the request says `store: false`.
            if object["store"] != .bool(false), let parsed = JSONCoding.parse(answer) {
                stored.keep(parsed, as: .response)
            }
            return json(answer)
        }
        return stream(
            MockRenderer.responsesEvents(reply, request: object),
            crlf: false,
            delay: Self.eventDelay(model: model) ?? configuration.eventDelay
        )
    }
}
