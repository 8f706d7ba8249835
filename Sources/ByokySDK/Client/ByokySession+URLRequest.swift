public import ByokyCore

// `URLRequest` lives in FoundationNetworking on Linux and in Foundation on Apple platforms.
#if canImport(FoundationNetworking)
import Foundation
public import FoundationNetworking
#else
public import Foundation
#endif

extension ByokySession {
    /// The same request, sent to the wallet's bridge instead of `provider`'s real URL, with the
    /// session key in place of any API key — for `URLSession` and clients that take a `URLRequest`.
    ///
    /// On Linux a custom `URLProtocol` loses streamed data, so the SDK rewrites requests to a real
    /// HTTP call to the bridge rather than answering them in-process.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` when the URL is not `provider`'s.
    public func authorize(_ request: URLRequest, for provider: ProviderID) throws -> URLRequest {
        guard let url = request.url?.absoluteString else { throw ByokyError(.invalidURL, "The request has no URL") }
        guard let rewritten = URL(string: try BridgeRoute.url(for: url, provider: provider, bridgeURL: proxyURL)) else {
            throw ByokyError(.invalidURL, "The request's path cannot be sent to the wallet")
        }
        var authorized = request
        authorized.url = rewritten
        for name in BridgeRoute.appAuthHeaders { authorized.setValue(nil, forHTTPHeaderField: name) }
        let auth = BridgeRoute.authHeader(for: provider, sessionKey: sessionKey)
        authorized.setValue(auth.value, forHTTPHeaderField: auth.name)
        if let appOrigin { authorized.setValue(appOrigin, forHTTPHeaderField: "Origin") }
        return authorized
    }
}
