import ByokyCore
import Hummingbird

extension MockHandler {
    /// `POST /v1/responses` (OpenAI's Responses API, also under Azure's and Groq's `/openai/v1`):
    /// refuses what the API refuses (an unknown member, `stream_options.include_usage`), then
    /// answers the reply a Chat Completions request of the same input would get, as a response
    /// object or as the API's event stream.
    func respondToResponses(_ request: Request) async throws -> Response {
        if let failure = checkAuth(request, family: .openai) { return failure }
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        guard let parsed = JSONCoding.parse(Array(body.readableBytesView)), case .object(let object) = parsed else {
            return error(.invalidRequest, "The request body is not a JSON object", family: .openai)
        }
        if let refusal = MockRenderer.responsesRefusal(object) {
            return error(.invalidRequest, refusal, family: .openai)
        }
        guard let model = object["model"]?.stringValue, !model.isEmpty else {
            return error(.invalidRequest, "Missing required parameter: 'model'.", family: .openai)
        }
        if model.hasPrefix("mock-error-"), let status = Int(model.dropFirst("mock-error-".count)) {
            return error(status: status, "Mock error \(status) requested by the model name", family: .openai)
        }
        let reply = MockReply(
            family: .openai,
            request: MockRenderer.chatShape(ofResponsesRequest: object),
            model: model,
            bodySize: body.readableBytes,
            defaultWordCount: configuration.defaultWordCount
        )
        if configuration.responseDelay > .zero { try await Task.sleep(for: configuration.responseDelay) }
        guard object["stream"] == .bool(true) else {
            return json(MockRenderer.responsesBody(reply, request: object))
        }
        return stream(
            MockRenderer.responsesEvents(reply, request: object),
            crlf: false,
            delay: Self.eventDelay(model: model) ?? configuration.eventDelay
        )
    }
}
