public import ByokyCore
public import ByokyWallet
public import Hummingbird
import NIOCore

/// An app's provider request as it reaches a proxy route (`/<provider>/…` on the bridge,
/// `/proxy/<provider>/…` on a vault), sent through a ``ProxyEngine``.
public enum ProxiedRequest {
    /// The provider path and query after `prefix` (`/` when nothing follows).
    public static func pathAndQuery(of request: Request, after prefix: String) -> String {
        var path = String(request.uri.path.dropFirst(prefix.count))
        if path.isEmpty { path = "/" }
        if let query = request.uri.query, !query.isEmpty { path += "?" + query }
        return path
    }

    /// Reads the body (at most `limit` bytes) and sends the request through `engine`; every
    /// failure comes back in the provider's error format.
    public static func forward(
        _ request: Request,
        to provider: Provider,
        pathAndQuery: String,
        headers: [(name: String, value: String)],
        sessionKey: String?,
        engine: ProxyEngine,
        limit: Int
    ) async -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: limit)
        } catch {
            return BridgeResponses.error(.payloadTooLarge("Request body", limit: limit), family: provider.family)
        }
        let proxyRequest = ProxyRequest(
            provider: provider.id,
            method: request.method.rawValue,
            pathAndQuery: pathAndQuery,
            headers: headers,
            body: body
        )
        return await BridgeResponses.proxied(
            await engine.handle(proxyRequest, sessionKey: sessionKey),
            requestOrigin: request.headers[.origin]
        )
    }

    /// The request's headers as the engine takes them.
    public static func headers(of request: Request) -> [(name: String, value: String)] {
        request.headers.map { (name: $0.name.canonicalName, value: $0.value) }
    }
}
