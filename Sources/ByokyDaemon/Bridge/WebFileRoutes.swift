import ByokyCore
import ByokyProxyHTTP
import ByokyWebFiles
import HTTPTypes
import Hummingbird
import NIOCore

/// Serves the web files built into the binary: `GET /sdk/byoky.js` and the modules it imports,
/// `/sdk/byoky.d.ts`. Public code, so any page may load it (CORS `*`); revalidated by `ETag`.
enum WebFileRoutes {
    static func register(on router: Router<BasicRequestContext>) {
        let serve: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            if let refusal = WalletDaemon.refuseNonLoopback(request) { return refusal }
            return response(for: request)
        }
        router.get("/sdk/**", use: serve)
        router.on("/sdk/**", method: .options) { request, _ in
            if let refusal = WalletDaemon.refuseNonLoopback(request) { return refusal }
            return BridgeCORS.preflightAnswer(for: request, origin: "*")
        }
    }

    static func response(for request: Request) -> Response {
        guard let file = WebFiles.file(at: request.uri.path) else {
            return BridgeResponses.error(
                ByokyError(.notFound, "No file \(request.uri.path) in this wallet"),
                family: nil
            )
        }
        var headers = HTTPFields()
        headers[.eTag] = file.entityTag
        headers[.cacheControl] = "no-cache"
        headers[.accessControlAllowOrigin] = "*"
        headers[.accessControlExposeHeaders] = "*"
        headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "cross-origin"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("X-Byoky-Version")!] = ByokyVersion.current
        if let known = request.headers[.ifNoneMatch],
            known.split(separator: ",").contains(where: { $0.filter { $0 != " " } == file.entityTag })
        {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.contentType
        headers[.contentLength] = String(file.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
    }
}
