import HTTPTypes
import Hummingbird

/// A folder served as a website, for `byoky app serve`: files as they are (index.html for
/// folders), nothing cached, nothing outside the folder, on loopback only.
///
/// Every answer allows any origin to read it: an app opened in the wallet page's sandboxed frame
/// has an opaque origin, and browsers load its ES modules only with that permission.
package enum StaticFolder {
    package static func server(serving folder: String, port: Int) -> HTTPServerRunner.Server {
        let router = Router()
        router.add(middleware: PublicFiles())
        router.add(
            middleware: FileMiddleware(
                folder,
                cacheControl: .init([(MediaType(type: .any), [.noStore])]),
                searchForIndexHtml: true
            )
        )
        return HTTPServerRunner.Server(router: router, address: .hostname("127.0.0.1", port: port))
    }

    /// Adds `Access-Control-Allow-Origin: *` to every answer (the files are public).
    struct PublicFiles: RouterMiddleware {
        typealias Context = BasicRequestContext
        @concurrent func handle(
            _ request: Request,
            context: BasicRequestContext,
            next: @concurrent (Request, BasicRequestContext) async throws -> Response
        ) async throws -> Response {
            var response = try await next(request, context)
            response.headers[.accessControlAllowOrigin] = "*"
            return response
        }
    }
}
