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
        guard let url = request.url?.absoluteString, let entry = ProviderRegistry.provider(provider) else {
            throw ByokyError(.invalidURL, "The request has no URL")
        }
        let target = try ProviderURLPolicy.validate(url, provider: provider)
        var relative = target.pathAndQuery
        if let base = AbsoluteURL(entry.baseURL), base.path != "/" {
            relative = String(relative.dropFirst(base.path.count))
        }
        guard let rewritten = URL(string: "\(proxyURL)/\(provider.rawValue)\(relative)") else {
            throw ByokyError(.invalidURL, "The request's path cannot be sent to the wallet")
        }
        var authorized = request
        authorized.url = rewritten
        for name in ["Authorization", "x-api-key", "x-goog-api-key", "api-key"] {
            authorized.setValue(nil, forHTTPHeaderField: name)
        }
        let scheme = entry.authScheme == .optionalBearer ? .bearer : entry.authScheme
        authorized.setValue(scheme.headerValue(for: sessionKey), forHTTPHeaderField: scheme.headerName)
        return authorized
    }
}
