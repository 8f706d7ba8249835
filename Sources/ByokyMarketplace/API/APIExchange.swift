import ByokyCore
import ByokyServerStore
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What the API's routes share: JSON bodies read within the size limit, the client's address and
/// its rate limits, token hashes, and answers in the board's JSON shapes.
struct APIExchange: Sendable {
    let configuration: MarketplaceConfiguration
    let metrics: MarketplaceMetrics

    /// SHA-256 (hex) of a token: what the board keeps instead of it.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether the request carries `Authorization: Bearer <token>` for the token hashed as `hash`
    /// (compared in constant time).
    static func bearer(_ request: Request, matches hash: String) -> Bool {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return false }
        return ConstantTime.equals(Self.hash(String(header.dropFirst(7))), hash)
    }

    /// `limit` (1...200, default 100) and `offset` from the query.
    func page(_ request: Request) throws(MarketplaceError) -> (limit: Int, offset: Int) {
        let query = request.uri.queryParameters
        var limit = 100
        var offset = 0
        if let text = query.get("limit") {
            guard let value = Int(text), (1...200).contains(value) else { throw .invalid("limit must be 1 to 200") }
            limit = value
        }
        if let text = query.get("offset") {
            guard let value = Int(text), value >= 0, value <= 1_000_000 else {
                throw .invalid("offset must be 0 or more")
            }
            offset = value
        }
        return (limit, offset)
    }

    func limit(_ limiter: RateLimiter, _ request: Request, _ context: MarketplaceContext) throws {
        if let wait = limiter.admit(client(request, context), now: configuration.clock()) {
            throw MarketplaceError.tooManyRequests(retryAfter: wait)
        }
    }

    /// The client's address: the connection's peer, or the proxy's `X-Forwarded-For` when trusted.
    func client(_ request: Request, _ context: MarketplaceContext) -> String {
        if configuration.trustForwardedFor, let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
            let last = forwarded.split(separator: ",").last
        {
            return last.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }

    func decode<Body: Decodable>(_ request: Request) async throws -> Body {
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: configuration.maximumBodySize)
        } catch {
            throw MarketplaceError.tooLarge(configuration.maximumBodySize)
        }
        do {
            return try JSONDecoder().decode(Body.self, from: Data(bytes.readableBytesView))
        } catch {
            throw MarketplaceError.invalid("The body is not the JSON this endpoint takes")
        }
    }

    /// Runs `body`, answering its value as JSON or its error in the board's error shape.
    func answer(_ route: String, _ body: () async throws -> (Int, some Encodable)) async -> Response {
        var status = 500
        var json = Data()
        do {
            let (code, value) = try await body()
            json = try JSONEncoder().encode(value)
            status = code
        } catch {
            let refusal =
                error as? MarketplaceError
                ?? (error is DatabaseUnavailable
                    ? .unavailable : MarketplaceError(status: 500, code: "INTERNAL_ERROR", message: "Internal error"))
            status = refusal.status
            json = (try? JSONEncoder().encode(refusal.body)) ?? Data()
        }
        metrics.count(route: route, status: status)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: json))
        )
    }
}
