import ByokyCore
import Hummingbird

/// Names the account a key belongs to on every answer, as the real APIs do: Anthropic's
/// `anthropic-organization-id`, and OpenAI's `openai-organization` and `openai-project` (on
/// answers to OpenAI's own key header; the other OpenAI-compatible providers send neither).
/// The wallet must not pass them on: they tell an app whose account serves it.
struct AccountHeadersMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    static let anthropicOrganization = "6f1c0d2e-4a5b-4c8d-9e0f-feedfacecafe"
    /// The Google Cloud project number of a Gemini key, which Gemini's errors name.
    static let googleProject = "424242424242"
    static let openAIOrganization = "org-mockOwnerAccount42"
    static let openAIProject = "proj_mockOwnerProject42"

    @concurrent func handle(
        _ request: Request,
        context: BasicRequestContext,
        next: @concurrent (Request, BasicRequestContext) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        switch UnknownRouteMiddleware.family(of: request) {
        case .anthropic:
            response.headers[.init("anthropic-organization-id")!] = Self.anthropicOrganization
        case .openai where request.headers[.authorization] != nil:
            response.headers[.init("openai-organization")!] = Self.openAIOrganization
            response.headers[.init("openai-project")!] = Self.openAIProject
        default:
            break
        }
        return response
    }
}
