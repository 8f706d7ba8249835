import Hummingbird

/// A folder served as a website, for `byoky app serve`: files as they are (index.html for
/// folders), nothing cached, nothing outside the folder, on loopback only.
package enum StaticFolder {
    package static func server(serving folder: String, port: Int) -> HTTPServerRunner.Server {
        let router = Router()
        router.add(
            middleware: FileMiddleware(
                folder,
                cacheControl: .init([(MediaType(type: .any), [.noStore])]),
                searchForIndexHtml: true
            )
        )
        return HTTPServerRunner.Server(router: router, address: .hostname("127.0.0.1", port: port))
    }
}
