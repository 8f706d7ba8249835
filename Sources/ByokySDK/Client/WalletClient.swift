import AsyncHTTPClient
import ByokyCore
import Foundation
import NIOCore
import NIOHTTP1

/// JSON calls to the wallet API, with the wallet's errors turned back into ``ByokyError``.
enum WalletClient {
    /// One client for the process. A refused connection fails at once (no wallet running) instead of
    /// being retried until the request's deadline.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout = .init(connect: .seconds(5), read: TimeAmount(ServerLimits.providerSilence))
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    static func send<Answer: Decodable>(
        _ method: HTTPMethod,
        _ url: String,
        body: [UInt8]? = nil,
        headers: [(String, String)] = [],
        as type: Answer.Type
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(60))
        } catch {
            throw ByokyError.walletNotInstalled(hint: "No byoky wallet answers — \(Byoky.installHint())")
        }
        let collected = Array(try await response.body.collect(upTo: 4 * 1024 * 1024).readableBytesView)
        guard response.status.code < 300 else {
            let envelope = try? JSONDecoder().decode(WireErrorEnvelope.self, from: Data(collected))
            throw envelope?.error.byokyError
                ?? ByokyError(.invalidResponse, "The wallet answered \(response.status.code)")
        }
        do {
            return try JSONDecoder().decode(Answer.self, from: Data(collected))
        } catch {
            throw ByokyError(.invalidResponse, "The wallet sent an answer this SDK cannot read")
        }
    }
}
