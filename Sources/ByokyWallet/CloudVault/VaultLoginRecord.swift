import ByokyCore
import ByokyStore
import Foundation

/// This wallet's login to a vault, in `vault-login.json` of the wallet's folder (mode 0600, like
/// the rest of the folder): the vault, the username, the login token and when keys were last
/// pulled and which routing version it last synced. The token is a bearer secret; `byoky vault logout` ends it at the vault and removes it.
public struct VaultLoginRecord: Codable, Sendable {
    public var url: String
    public var username: String
    public var token: String
    public var lastPulledAt: Int64
    /// The vault's routing version this wallet last pushed or pulled (`nil`: never synced).
    public var routingVersion: Int64?
    /// What this wallet's routing was at that sync (``VaultRouting/digest``): whether it changed here since.
    public var routingDigest: String?

    public init(url: String, username: String, token: String, lastPulledAt: Int64 = 0) {
        self.url = url
        self.username = username
        self.token = token
        self.lastPulledAt = lastPulledAt
    }

    static func path(in home: WalletHome) -> String { home.path + "/vault-login.json" }

    /// The saved login, if any.
    public static func read(in home: WalletHome) -> VaultLoginRecord? {
        guard let data = FileManager.default.contents(atPath: path(in: home)) else { return nil }
        return try? JSONDecoder().decode(VaultLoginRecord.self, from: data)
    }

    public func write(in home: WalletHome) throws {
        try FilePermissions.makeOwnerOnlyFolder(home.path)
        let path = Self.path(in: home)
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ByokyError(.internalError, "Cannot write \(path)")
        }
        FilePermissions.restrictToOwner(path)
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw ByokyError(.internalError, "Cannot write \(path)")
        }
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: try JSONEncoder().encode(self))
    }

    public static func remove(in home: WalletHome) {
        try? FileManager.default.removeItem(atPath: path(in: home))
    }

    /// The saved login and a client for its vault, or `UNAUTHORIZED` saying what to run.
    public static func saved(in home: WalletHome) throws -> (VaultLoginRecord, VaultClient) {
        guard let login = read(in: home) else {
            throw ByokyError(.unauthorized, "Not logged in to a vault — run `byoky vault login` (or signup) first")
        }
        return (login, try VaultClient(login.url))
    }

    /// Ends the saved login at the vault (when it answers) and forgets it here; the login, if any.
    @discardableResult
    public static func leave(in home: WalletHome) async -> VaultLoginRecord? {
        guard let (login, client) = try? saved(in: home) else { return nil }
        try? await client.logOut(token: SecretString(login.token))
        remove(in: home)
        return login
    }
}
