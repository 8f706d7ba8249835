import ByokyCore
import Hummingbird

/// An OpenAI-family request read by the mock: its JSON object, its body's size and its model.
struct OpenAIRequestRead {
    let object: [String: JSONValue]
    let size: Int
    let model: String
}

/// What reading an OpenAI-family request gave: the request, or the answer refusing it.
enum OpenAIRequestReading {
    case read(OpenAIRequestRead)
    case refused(Response)
}

extension MockHandler {
    /// Reads an OpenAI-family request as the API does: refused for a wrong key, a body that is
    /// not a JSON object, what `refusal` finds wrong with it (in the API's words), or no model.
    func readOpenAIRequest(
        _ request: Request,
        refusing refusal: ([String: JSONValue]) -> String? = { _ in nil }
    ) async throws -> OpenAIRequestReading {
        if let failure = checkAuth(request, family: .openai) { return .refused(failure) }
        let body = try await request.body.collect(upTo: MockProvider.maximumRequestSize)
        let bytes = Array(body.readableBytesView)
        configuration.onBody?(MockProvider.ObservedBody(path: request.uri.path, body: bytes))
        guard let parsed = JSONCoding.parse(bytes), case .object(let object) = parsed else {
            return .refused(error(.invalidRequest, "The request body is not a JSON object", family: .openai))
        }
        if let reason = refusal(object) { return .refused(error(.invalidRequest, reason, family: .openai)) }
        guard let model = object["model"]?.stringValue, !model.isEmpty else {
            return .refused(error(.invalidRequest, "Missing required parameter: 'model'.", family: .openai))
        }
        return .read(OpenAIRequestRead(object: object, size: body.readableBytes, model: model))
    }
}
