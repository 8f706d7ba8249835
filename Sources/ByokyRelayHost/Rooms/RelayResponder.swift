package import ByokyCore
package import ByokyWallet
import NIOCore

/// Turns relayed requests into proxy requests, and proxy answers into relay frames.
package enum RelayResponder {
    /// The proxy request for a relayed one, whose URL must be the provider's real address.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL`, `INVALID_REQUEST` (a body that is not valid base64).
    package static func proxyRequest(from request: RelayRequest) throws -> ProxyRequest {
        guard let pathAndQuery = pathAndQuery(of: request.url, provider: request.provider) else {
            throw ByokyError(.invalidURL, "The request URL is not \(request.provider.rawValue)'s address")
        }
        guard let body = request.body == nil ? [] : request.bodyBytes else {
            throw ByokyError(.invalidRequest, "The request body is not valid base64")
        }
        let headers = request.headers.filter { !["origin", "host"].contains($0.key.lowercased()) }.map {
            (name: $0.key, value: $0.value)
        }
        return ProxyRequest(
            provider: request.provider,
            method: request.method,
            pathAndQuery: pathAndQuery,
            headers: headers,
            body: ByteBuffer(bytes: body)
        )
    }

    /// Streams an answer as `relay:response:meta`, chunks (never cutting a UTF-8 character) and
    /// `relay:response:done`. - Throws: when cancelled or the body fails.
    package static func stream(_ response: ProxyResponse, requestID: String, send: (RelayMessage) -> Void) async throws
    {
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        send(.responseMeta(requestID: requestID, status: response.status, statusText: nil, headers: fields))
        var framer = RelayBodyFramer(requestID: requestID)
        do {
            for try await chunk in response.body {
                try Task.checkCancellation()
                if let frame = framer.frame(for: chunk.readableBytesView) { send(frame) }
            }
        } catch {
            await response.body.abandon()
            throw error
        }
        for frame in framer.finish() { send(frame) }
    }

    /// The error frame for a failure.
    package static func errorFrame(requestID: String, _ error: any Error) -> RelayMessage {
        let failure = (error as? ByokyError) ?? ByokyError(.proxyError, "The wallet could not serve the request")
        return .responseError(
            requestID: requestID,
            error: WireError(code: failure.code.rawValue, message: failure.message)
        )
    }

    /// The provider-native path for a request written for the provider's real URL.
    package static func pathAndQuery(of url: String, provider: ProviderID) -> String? {
        guard let entry = ProviderRegistry.provider(provider), !entry.requiresCustomBaseURL,
            let target = try? ProviderURLPolicy.validate(url, provider: provider),
            let base = AbsoluteURL(entry.baseURL)
        else { return nil }
        let basePath = base.path == "/" ? "" : base.path
        return String(target.pathAndQuery.dropFirst(basePath.count))
    }
}
