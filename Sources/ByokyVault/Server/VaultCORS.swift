import ByokyProxyHTTP
import Hummingbird

/// Lets web apps call the vault: a preflight is answered for any origin, and answers carry the
/// page's origin. Safe because nothing here rides on cookies: every route needs a bearer token
/// the page already holds, and a session bound to another origin is refused by `/proxy` itself.
struct VaultCORS: RouterMiddleware {
    typealias Context = VaultContext

    @concurrent func handle(
        _ request: Request,
        context: VaultContext,
        next: @concurrent (Request, VaultContext) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        if request.method == .options { return BridgeCORS.preflightAnswer(for: request, origin: origin) }
        var response = try await next(request, context)
        if response.headers[.accessControlAllowOrigin] == nil { BridgeCORS.allow(origin, in: &response.headers) }
        return response
    }
}
