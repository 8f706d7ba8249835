public import ByokyCore
import Foundation
import NIOCore
import NIOHTTP1

/// A wallet's calls to a token marketplace: list a gift, report on it, take it off, read the
/// board, and fetch a listed gift's link for redemption. Errors name the marketplace's own
/// message; nothing here ever carries a key.
public struct MarketplaceClient: Sendable {
    /// The original board's address.
    public static let defaultURL = "https://marketplace.byoky.com"

    let connection: ServiceConnection
    public var baseURL: String { connection.baseURL }

    /// - Throws: ``ByokyError`` `INVALID_URL` unless `https://`, or `http://` on this machine.
    public init(_ url: String) throws {
        // A board that does not answer costs at most 8 s (the client retries a refused connection until then).
        connection = try ServiceConnection(url, name: "marketplace", timeout: .seconds(8), maximumAnswer: 4 << 20) {
            status,
            bytes in
            struct Failure: Decodable { let error: String }
            let reason = (try? JSONDecoder().decode(Failure.self, from: Data(bytes)))?.error ?? "status \(status)"
            let code: ByokyError.Code =
                switch status {
                case 401, 403: .unauthorized
                case 404: .notFound
                case 410: .giftExpired
                case 429: .rateLimited
                default: .invalidRequest
                }
            return ByokyError(code, "The marketplace refused: \(reason)")
        }
    }

    struct Listed: Decodable {
        let id: String
        let managementToken: String
    }

    /// Lists a gift's link; returns the token that manages the listing (shown once by the board).
    public func list(link: String, name: String?, anonymous: Bool) async throws -> (id: String, token: String) {
        var body: [String: Any] = ["giftLink": link, "anonymous": anonymous]
        if let name { body["gifterName"] = name }
        let listed = try await send(.POST, "/gifts", json: try JSONSerialization.data(withJSONObject: body))
        let answer = try decode(Listed.self, listed)
        return (answer.id, answer.managementToken)
    }

    public func unlist(_ id: String, token: SecretString) async throws {
        _ = try await send(.DELETE, "/gifts/\(escaped(id))", token: token)
    }

    public func heartbeat(_ id: String, token: SecretString) async throws {
        _ = try await send(.POST, "/gifts/\(escaped(id))/heartbeat", token: token)
    }

    public func reportUsage(_ id: String, tokensUsed: Int, token: SecretString) async throws {
        _ = try await send(
            .PATCH,
            "/gifts/\(escaped(id))/usage",
            json: Data(#"{"tokensUsed":\#(tokensUsed)}"#.utf8),
            token: token
        )
    }

    public func board(provider: String? = nil) async throws -> BoardListing {
        try decode(
            BoardListing.self,
            try await send(.GET, "/gifts" + (provider.map { "?provider=\(escaped($0))" } ?? ""))
        )
    }

    /// The link of a listed gift, to redeem it.
    public func redemptionLink(of id: String) async throws -> String {
        struct Redemption: Decodable { let giftLink: String }
        return try decode(Redemption.self, try await send(.GET, "/gifts/\(escaped(id))/redeem")).giftLink
    }

    /// The marketplace and gift id a board address names (`…/redeem/<id>` or `…/gifts/<id>`).
    public static func giftAddress(_ text: String) -> (client: MarketplaceClient, id: String)? {
        let trimmed = text.trimmingASCIIWhitespace()
        for marker in ["/redeem/", "/gifts/"] {
            guard let range = trimmed.range(of: marker) else { continue }
            let id = String(trimmed[range.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" })
            guard !id.isEmpty, let client = try? MarketplaceClient(String(trimmed[..<range.lowerBound])) else {
                return nil
            }
            return (client, id)
        }
        return nil
    }

    // MARK: Transport

    func escaped(_ segment: String) -> String { connection.escaped(segment) }

    func send(
        _ method: HTTPMethod,
        _ path: String,
        json: Data? = nil,
        token: SecretString? = nil
    )
        async throws -> [UInt8]
    {
        try await connection.send(method, path, json: json, token: token)
    }

    func decode<Value: Decodable>(_ type: Value.Type, _ bytes: [UInt8]) throws -> Value {
        try connection.decode(type, bytes)
    }
}
