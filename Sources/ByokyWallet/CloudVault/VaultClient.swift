import AsyncHTTPClient
public import ByokyCore
import Foundation
import NIOCore
import NIOHTTP1

/// A wallet's calls to a byoky vault: accounts and the keys it syncs there. Errors carry the
/// vault's own message; keys travel only in the bodies of `push` and `pull`, over https.
public struct VaultClient: Sendable {
    /// The original vault's address.
    public static let defaultURL = "https://vault.byoky.com"

    public let baseURL: String

    /// - Throws: ``ByokyError`` `INVALID_URL` unless `https://`, or `http://` on this machine.
    public init(_ url: String) throws {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        guard ProviderURLPolicy.isAllowedServiceURL(trimmed) else {
            throw ByokyError(.invalidURL, "The vault must be an https:// URL (http:// only on this machine)")
        }
        baseURL = trimmed
    }

    public func signUp(username: String, password: SecretString) async throws -> VaultLoginAnswer {
        try decode(try await send(.POST, "/auth/signup", json: credentials(username, password)))
    }

    public func logIn(username: String, password: SecretString) async throws -> VaultLoginAnswer {
        try decode(try await send(.POST, "/auth/login", json: credentials(username, password)))
    }

    public func logOut(token: SecretString) async throws {
        _ = try await send(.POST, "/auth/logout", token: token)
    }

    /// Whether the login still holds (`false` when the vault ended or expired it).
    public func isLoggedIn(token: SecretString) async throws -> Bool {
        do {
            _ = try await send(.GET, "/auth/session", token: token)
            return true
        } catch let error as ByokyError where error.code == .unauthorized {
            return false
        }
    }

    public func put(
        _ upload: VaultCredentialUpload,
        id: String,
        token: SecretString
    ) async throws -> VaultCredentialWrite {
        try decode(
            try await send(.PUT, "/credentials/\(escaped(id))", json: try JSONEncoder().encode(upload), token: token)
        )
    }

    public func sync(since: Int64, token: SecretString) async throws -> VaultSync {
        try decode(try await send(.GET, "/credentials/sync?since=\(since)", token: token))
    }

    // MARK: Transport

    private func credentials(_ username: String, _ password: SecretString) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["username": username, "password": password.exposedValue])
    }

    private func escaped(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_")))
            ?? ""
    }

    private func send(
        _ method: HTTPMethod,
        _ path: String,
        json: Data? = nil,
        token: SecretString? = nil
    )
        async throws -> [UInt8]
    {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let json {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token.exposedValue)") }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
            body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        } catch {
            throw ByokyError(.proxyError, "The vault at \(baseURL) did not answer; try again later")
        }
        let bytes = Array(body.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            struct Failure: Decodable {
                struct Detail: Decodable {
                    let code: String
                    let message: String
                }
                let error: Detail
            }
            let failure = try? JSONDecoder().decode(Failure.self, from: Data(bytes))
            let reason = failure.map { TerminalText.printable($0.error.message) } ?? "status \(response.status.code)"
            let code: ByokyError.Code =
                switch response.status.code {
                case 401, 403: .unauthorized
                case 404: .notFound
                case 429: .rateLimited
                default: .invalidRequest
                }
            throw ByokyError(code, "The vault refused: \(reason)")
        }
        return bytes
    }

    private func decode<Value: Decodable>(_ bytes: [UInt8]) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(bytes))
        } catch {
            throw ByokyError(.invalidResponse, "The vault at \(baseURL) answered something unexpected")
        }
    }
}
