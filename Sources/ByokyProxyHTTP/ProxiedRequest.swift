public import ByokyCore
public import ByokyWallet
public import HTTPTypes
import Hummingbird
public import HummingbirdCore
public import NIOCore

/// An app's provider request as it reaches a proxy route (`/<provider>/…` on the bridge,
/// `/proxy/<provider>/…` on a vault), sent through a ``ProxyEngine``.
public enum ProxiedRequest {
    /// The provider path and query after `prefix` (`/` when nothing follows).
    public static func pathAndQuery(of request: Request, after prefix: String) -> String {
        pathAndQuery(of: request.uri, after: prefix)
    }

    /// The provider path and query of `uri` after `prefix` (`/` when nothing follows).
    public static func pathAndQuery(of uri: URI, after prefix: String) -> String {
        pathAndQuery(path: uri.path[...], query: uri.query?[...], after: prefix)
    }

    /// The provider path and query of a target's `path` and `query` after `prefix` (`/` when
    /// nothing follows).
    public static func pathAndQuery(path: Substring, query: Substring?, after prefix: String) -> String {
        var rest = String(path.dropFirst(prefix.count))
        if rest.isEmpty { rest = "/" }
        if let query, !query.isEmpty { rest += "?" + query }
        return rest
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
            return bodyTooLarge(limit: limit, for: provider)
        }
        return await answer(
            method: request.method.rawValue,
            headers: headers,
            body: body,
            to: provider,
            pathAndQuery: pathAndQuery,
            sessionKey: sessionKey,
            requestOrigin: request.headers[.origin],
            engine: engine
        ).response()
    }

    /// Sends a request whose body has been read through `engine`; every failure comes back in
    /// the provider's error format. `requestOrigin` (the page that sent it) may read an error.
    /// A ``ProxyRoute``'s connection writes the answer as it is; a router takes
    /// ``ProxyAnswer/response()``.
    public static func answer(
        method: String,
        headers: [(name: String, value: String)],
        body: ByteBuffer,
        to provider: Provider,
        pathAndQuery: String,
        sessionKey: String?,
        requestOrigin: String?,
        engine: ProxyEngine,
        wholeAnswerWriter: (any WholeAnswerWriter)? = nil
    ) async -> ProxyAnswer {
        let proxyRequest = ProxyRequest(
            provider: provider.id,
            method: method,
            pathAndQuery: pathAndQuery,
            headers: headers,
            body: body,
            wholeAnswerWriter: wholeAnswerWriter
        )
        return .proxied(await engine.handle(proxyRequest, sessionKey: sessionKey), requestOrigin: requestOrigin)
    }

    /// Sends a ``ProxyRoute``'s request through `engine`: `head` as read on the channel, with
    /// `fields` its header fields (read once by the caller, which found the session key in them),
    /// `prefix` the path its provider routes live under (`""` on the bridge, `/proxy` on a
    /// vault), and `wholeAnswerWriter` the route's writer of a whole answer (``ProxyRoute/respond``).
    public static func answer(
        _ head: ProxyRequestHead,
        fields: [(name: String, value: String)],
        body: ByteBuffer,
        to provider: Provider,
        under prefix: String,
        sessionKey: String?,
        engine: ProxyEngine,
        wholeAnswerWriter: (any WholeAnswerWriter)? = nil
    ) async -> ProxyAnswer {
        await answer(
            method: head.methodName,
            headers: fields,
            body: body,
            to: provider,
            pathAndQuery: pathAndQuery(path: head.path, query: head.query, after: prefix + "/" + provider.id.rawValue),
            sessionKey: sessionKey,
            requestOrigin: head.origin,
            engine: engine,
            wholeAnswerWriter: wholeAnswerWriter
        )
    }

    /// The answer to a request body longer than `limit` bytes, in the provider's error format.
    public static func bodyTooLarge(limit: Int, for provider: Provider) -> Response {
        BridgeResponses.error(.payloadTooLarge("Request body", limit: limit), family: provider.family)
    }

    /// The request's headers as the engine takes them.
    public static func headers(of request: Request) -> [(name: String, value: String)] {
        headers(request.headers)
    }

    /// Header fields as the engine takes them.
    public static func headers(_ fields: HTTPFields) -> [(name: String, value: String)] {
        fields.map { (name: $0.name.canonicalName, value: $0.value) }
    }
}
