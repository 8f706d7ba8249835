import ByokyCore
import Hummingbird

/// Answers a request for a path the mock does not serve as the real provider does: 404 with the
/// provider's error JSON (never an empty body), in the family the request's key header names.
struct UnknownRouteMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let handler: MockHandler

    @concurrent func handle(
        _ request: Request,
        context: BasicRequestContext,
        next: @concurrent (Request, BasicRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let route = "\(request.method.rawValue) \(TerminalText.printable(request.uri.path))"
            let family = Self.family(of: request)
            guard family == .openai else {
                return handler.error(.notFound, "Unknown route \(route)", family: family)
            }
            // OpenAI's own words: an invalid request with the code `unknown_url`.
            let body = JSONWriter.object([
                (
                    "error",
                    .object([
                        "message": .string("Unknown request URL: \(route). Please check the URL for typos."),
                        "type": .string("invalid_request_error"), "param": .null, "code": .string("unknown_url"),
                    ])
                )
            ])
            var response = handler.json(body)
            response.status = .notFound
            return response
        }
    }

    /// The family whose key header (or Gemini's `key` query) the request carries; Cohere for its
    /// `/v2/` paths, OpenAI otherwise.
    static func family(of request: Request) -> APIFamily {
        if request.headers[.init("x-api-key")!] != nil { return .anthropic }
        if request.headers[.init("x-goog-api-key")!] != nil || request.uri.queryParameters.get("key") != nil {
            return .gemini
        }
        return request.uri.path.hasPrefix("/v2/") ? .cohere : .openai
    }
}
