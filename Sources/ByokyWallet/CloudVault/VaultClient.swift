public import ByokyCore
import Foundation
public import NIOCore
import NIOHTTP1

/// A wallet's calls to a byoky vault: accounts and the keys it syncs there. Errors carry the
/// vault's own message; keys travel only in the bodies of `push` and `pull`, over https.
public struct VaultClient: Sendable {
    /// The original vault's address.
    public static let defaultURL = "https://vault.byoky.com"

    let connection: ServiceConnection
    public var baseURL: String { connection.baseURL }

    /// - Parameter timeout: How long a call may take.
    /// - Throws: ``ByokyError`` `INVALID_URL` unless `https://`, or `http://` on this machine.
    public init(_ url: String, timeout: TimeAmount = .seconds(30)) throws {
        connection = try ServiceConnection(url, name: "vault", timeout: timeout, maximumAnswer: 16 << 20) {
            status,
            bytes in
            struct Failure: Decodable {
                struct Detail: Decodable {
                    let code: String
                    let message: String
                }
                let error: Detail
            }
            let failure = try? JSONDecoder().decode(Failure.self, from: Data(bytes))
            let reason = failure.map { TerminalText.printable($0.error.message) } ?? "status \(status)"
            let code: ByokyError.Code =
                switch status {
                case 401, 403: .unauthorized
                case 404: .notFound
                case 429: .rateLimited
                default: .invalidRequest
                }
            return ByokyError(code, "The vault refused: \(reason)", details: ["status": String(status)])
        }
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
            try await send(
                .PUT,
                "/credentials/\(connection.escaped(id))",
                json: try JSONEncoder().encode(upload),
                token: token
            )
        )
    }

    /// The account's routing (groups, assignments, caps).
    public func routing(token: SecretString) async throws -> VaultRouting {
        try decode(try await send(.GET, "/routing", token: token))
    }

    /// Writes the account's routing if it is still at version `basedOn`.
    /// - Returns: the stored routing, or `nil` when another device wrote a later version.
    public func putRouting(_ routing: VaultRouting, basedOn: Int64, token: SecretString) async throws -> VaultRouting? {
        do {
            return try decode(
                try await send(
                    .PUT,
                    "/routing",
                    json: try JSONEncoder().encode(VaultRoutingWrite(routing: routing, basedOn: basedOn)),
                    token: token
                )
            )
        } catch let error as ByokyError where error.details["status"] == "409" {
            return nil
        }
    }

    /// The account's live app sessions (never their keys).
    public func appSessions(token: SecretString) async throws -> [VaultAppSessionItem] {
        struct Listing: Decodable { let apps: [VaultAppSessionItem] }
        let listing: Listing = try decode(try await send(.GET, "/apps", token: token))
        return listing.apps
    }

    /// Ends one of the account's app sessions at once.
    public func endAppSession(id: String, token: SecretString) async throws {
        _ = try await send(.DELETE, "/apps/\(connection.escaped(id))", token: token)
    }

    /// Removes a key as of `time` (a tombstone, if later than the vault's version).
    /// - Returns: the vault's answer, or `nil` when the vault never had the key.
    public func remove(id: String, at time: Int64, token: SecretString) async throws -> VaultCredentialWrite? {
        do {
            return try decode(
                try await send(.DELETE, "/credentials/\(connection.escaped(id))?updatedAt=\(time)", token: token)
            )
        } catch let error as ByokyError where error.code == .notFound {
            return nil
        }
    }

    /// Has the vault serve a gift while this wallet is offline, or brings it the gift's usage and
    /// revocation (without `secrets`); the answer carries the vault's own count.
    public func putGift(_ upload: VaultGiftUpload, id: String, token: SecretString) async throws -> VaultGiftItem {
        try decode(
            try await send(
                .PUT,
                "/gifts/\(connection.escaped(id))",
                json: try JSONEncoder().encode(upload),
                token: token
            )
        )
    }

    /// The gifts the vault serves for this account.
    public func gifts(token: SecretString) async throws -> [VaultGiftItem] {
        struct Listing: Decodable { let gifts: [VaultGiftItem] }
        let listing: Listing = try decode(try await send(.GET, "/gifts", token: token))
        return listing.gifts
    }

    /// Stops the vault serving a gift (it forgets the gift's secrets).
    /// - Returns: `false` when the vault did not serve it.
    @discardableResult
    public func removeGift(id: String, token: SecretString) async throws -> Bool {
        do {
            _ = try await send(.DELETE, "/gifts/\(connection.escaped(id))", token: token)
            return true
        } catch let error as ByokyError where error.code == .notFound {
            return false
        }
    }

    public func sync(since: Int64, token: SecretString) async throws -> VaultSync {
        try decode(try await send(.GET, "/credentials/sync?since=\(since)", token: token))
    }

    // MARK: Transport

    private func credentials(_ username: String, _ password: SecretString) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["username": username, "password": password.exposedValue])
    }

    private func send(
        _ method: HTTPMethod,
        _ path: String,
        json: Data? = nil,
        token: SecretString? = nil
    )
        async throws -> [UInt8]
    {
        try await connection.send(method, path, json: json, token: token)
    }

    private func decode<Value: Decodable>(_ bytes: [UInt8]) throws -> Value {
        try connection.decode(Value.self, bytes)
    }
}
