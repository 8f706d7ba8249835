import AsyncHTTPClient
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
        public let body: FetchBody

        public init(status: Int, headers: [(String, String)], body: FetchBody) {
            self.status = status
            self.headers = headers
            self.body = body
        }
    }

    let provider: ProviderID
    let bridgeURL: String
    let sessionKey: String
    /// The web origin the session is bound to, if any.
    var origin: String? = nil
    /// The relay room of a paired session; `nil` sends to the local bridge.
    var relay: RelayConnection? = nil

    /// Sends `request`. Cancelling the task cancels the request, upstream included.
    ///
    /// - Throws: ``ByokyError`` `INVALID_URL` when the URL is not the provider's, or
    ///   `WALLET_NOT_INSTALLED` when the wallet does not answer.
    public func callAsFunction(_ request: Request) async throws -> Response {
        if let relay {
            try BridgeRoute.checkProviderURL(request.url, provider: provider)
            let answer = try await RelayFetch(provider: provider, connection: relay)(request)
            let bytes = answer.body
            let stream = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                let pump = Task {
                    do {
                        for try await piece in bytes { continuation.yield(ByteBuffer(bytes: piece)) }
                        continuation.finish()
                    } catch {
                        continuation.finish(throwing: error)
                    }
                }
                continuation.onTermination = { _ in pump.cancel() }
            }
            return Response(status: answer.status, headers: answer.headers, body: FetchBody(stream))
        }
        var outgoing = HTTPClientRequest(
            url: try BridgeRoute.url(for: request.url, provider: provider, bridgeURL: bridgeURL)
        )
        outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
        for (name, value) in request.headers where !BridgeRoute.appAuthHeaders.contains(name.lowercased()) {
            outgoing.headers.add(name: name, value: value)
        }
        let auth = BridgeRoute.authHeader(for: provider, sessionKey: sessionKey)
        outgoing.headers.replaceOrAdd(name: auth.name, value: auth.value)
        if let origin { outgoing.headers.replaceOrAdd(name: "origin", value: origin) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await WalletClient.http.execute(
                outgoing,
                timeout: TimeAmount(ServerLimits.providerSilence)
            )
            return Response(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: FetchBody(response.body)
            )
        } catch {
            throw ByokyError.walletNotInstalled(hint: "The byoky wallet did not answer — \(Byoky.installHint())")
        }
    }
}
