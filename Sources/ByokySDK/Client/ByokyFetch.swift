public import AsyncHTTPClient
import ByokyCore
import Foundation
import NIOCore
import NIOHTTP1

/// Sends provider-native requests through the wallet: the app writes them for the provider's
/// real URL (`https://api.anthropic.com/v1/messages`) and gets the provider's answer, streamed.
public struct ByokyFetch: Sendable {
    /// A request for the provider's real URL.
    public struct Request: Sendable {
        public var url: String
        public var method: String
        public var headers: [(String, String)]
        public var body: [UInt8]?

        public init(url: String, method: String = "POST", headers: [(String, String)] = [], body: [UInt8]? = nil) {
            self.url = url
            self.method = method
            self.headers = headers
            self.body = body
        }
    }

    /// The provider's answer; `body` streams as it arrives.
    public struct Response: Sendable {
        public let status: Int
        public let headers: [(String, String)]
        public let body: HTTPClientResponse.Body
    }

    let provider: ProviderID
    let bridgeURL: String
    let sessionKey: String

    /// Sends `request`. Cancelling the task cancels the request, upstream included.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` when the URL is not the provider's, or
    ///   `WALLET_NOT_INSTALLED` when the wallet does not answer.
    public func callAsFunction(_ request: Request) async throws -> Response {
        guard let entry = ProviderRegistry.provider(provider) else {
            throw ByokyError(.invalidURL, "Unknown provider \"\(provider.rawValue)\"")
        }
        let target: AbsoluteURL
        if entry.requiresCustomBaseURL {
            guard let parsed = AbsoluteURL(request.url) else { throw ByokyError(.invalidURL, "Not a valid URL") }
            target = parsed
        } else {
            target = try ProviderURLPolicy.validate(request.url, provider: provider)
        }
        var relative = target.pathAndQuery
        if !entry.requiresCustomBaseURL, let base = AbsoluteURL(entry.baseURL), base.path != "/" {
            relative = String(relative.dropFirst(base.path.count))
        }
        var outgoing = HTTPClientRequest(url: "\(bridgeURL)/\(provider.rawValue)\(relative)")
        outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
        let authNames: Set<String> = ["authorization", "x-api-key", "x-goog-api-key", "api-key"]
        for (name, value) in request.headers where !authNames.contains(name.lowercased()) {
            outgoing.headers.add(name: name, value: value)
        }
        let scheme = entry.authScheme == .optionalBearer ? .bearer : entry.authScheme
        outgoing.headers.replaceOrAdd(name: scheme.headerName, value: scheme.headerValue(for: sessionKey) ?? sessionKey)
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await WalletClient.http.execute(outgoing, timeout: .seconds(600))
            return Response(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: response.body
            )
        } catch {
            throw ByokyError.walletNotInstalled(hint: "The byoky wallet did not answer — \(Byoky.installHint())")
        }
    }
}
