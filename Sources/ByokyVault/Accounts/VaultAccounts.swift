import ByokyCore
import ByokyWallet
import Crypto
import Foundation
import HTTPTypes

/// Accounts: sign-up, log-in with back-off, logins as opaque tokens stored hashed, log-out and
/// deletion. Each account has a random data key (for the keys it will sync) sealed under a
/// PBKDF2-SHA256 key of its password; opening that seal is the password check, so the database
/// holds no password hash apart from it. Key derivations run on threads kept for them, off the
/// event loops and the database's pool (`KeyDerivationWork`).
public struct VaultAccounts: Sendable {
    let store: VaultStore
    let configuration: VaultConfiguration

    public init(store: VaultStore, configuration: VaultConfiguration) {
        self.store = store
        self.configuration = configuration
    }

    private var backOff: (account: LoginBackOff, address: LoginBackOff) {
        (
            LoginBackOff(
                allowed: configuration.accountFailuresAllowed,
                firstWait: configuration.firstWait,
                longestWait: configuration.longestWait
            ),
            LoginBackOff(
                allowed: configuration.addressFailuresAllowed,
                firstWait: configuration.firstWait,
                longestWait: configuration.longestWait
            )
        )
    }

    /// A username as stored (trimmed, lower-cased), or `nil` when it breaks the rules: 3 to 30
    /// characters of a–z, 0–9, `_` and `-`, starting and ending with a letter or digit.
    public static func normalized(_ username: String) -> String? {
        let name = username.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return name.wholeMatch(of: /[a-z0-9][a-z0-9_-]{1,28}[a-z0-9]/) == nil ? nil : name
    }

    /// Whether a name can be signed up with.
    public func isAvailable(_ username: String) async throws -> Bool {
        guard let name = Self.normalized(username) else { return false }
        return try await store.user(named: name) == nil
    }

    public func signUp(username: String, password: String) async throws -> LoginGrant {
        guard let name = Self.normalized(username) else {
            throw VaultError.invalid(
                "A username is 3 to 30 of a-z, 0-9, _ and -, starting and ending with a letter or digit"
            )
        }
        let strength = PasswordStrength(password)
        guard password.count <= 1024, strength.isAcceptable else {
            var error = VaultError(
                status: .badRequest,
                code: "WEAK_PASSWORD",
                message:
                    "Choose a stronger password (\(PasswordStrength.minimumLength) characters or more, hard to guess)"
            )
            error.feedback = strength.feedback
            throw error
        }
        let iterations = configuration.passwordIterations
        let created = try await KeyDerivationWork.run {
            let made = try WrappedDataKey.create(password: password, iterations: iterations)
            return (made.wrapped, made.dataKey.withUnsafeBytes { Array($0) })
        }
        let (wrapped, dataKey) = (created.0, SymmetricKey(data: created.1))
        let user = VaultUser(
            id: SecureRandom.uuid(),
            username: name,
            wrappedDataKey: String(decoding: try JSONEncoder().encode(wrapped), as: UTF8.self),
            createdAt: configuration.clock()
        )
        guard try await store.insert(user) else {
            throw VaultError(status: .conflict, code: "USERNAME_TAKEN", message: "That username is taken")
        }
        return try await startLogin(for: user, dataKey: dataKey)
    }

    /// Logs in. Waits imposed by earlier failures are checked before any key derivation.
    ///
    /// - Parameter client: the client's address (see ``ClientAddress``).
    public func logIn(username: String, password: String, client: String) async throws -> LoginGrant {
        let name = Self.normalized(username) ?? username.lowercased()
        let now = configuration.clock()
        let (accountBackOff, addressBackOff) = backOff
        let account = try await store.failures("account", name)
        let address = try await store.failures("address", client)
        let waits = [
            accountBackOff.remaining(failures: account.count, lastFailure: account.last, now: now),
            addressBackOff.remaining(failures: address.count, lastFailure: address.last, now: now),
        ].compactMap { $0 }
        if let longest = waits.max() { throw VaultError.rateLimited(longest) }
        guard password.count <= 1024, let user = try await store.user(named: name),
            let dataKey = try await opened(user, with: password)
        else {
            try await store.recordFailure("account", name, at: now)
            try await store.recordFailure("address", client, at: now)
            throw VaultError.invalidCredentials
        }
        try await store.clearFailures("account", name)
        return try await startLogin(for: user, dataKey: dataKey)
    }

    /// The login and its account for a bearer token.
    public func authenticate(token: String) async throws -> (login: LoginSession, user: VaultUser) {
        guard token.hasPrefix("bvl_"), token.utf8.count <= 128,
            let login = try await store.login(tokenHash: SecureHash.sha256Hex(token), now: configuration.clock()),
            let user = try await store.user(id: login.userID)
        else { throw VaultError.unauthorized }
        return (login, user)
    }

    /// The login, its account and the account's data key (opened with the token), for requests
    /// that reach keys.
    func unlocked(token: String) async throws -> (login: LoginSession, user: VaultUser, dataKey: SymmetricKey) {
        let (login, user) = try await authenticate(token: token)
        guard let sealed = login.sealedDataKey,
            let dataKey = try? TokenSealedKey.open(sealed, token: token, loginID: login.id)
        else {
            throw VaultError(
                status: .unauthorized,
                code: "SESSION_KEY_EXPIRED",
                message: "Log in again to reach your keys"
            )
        }
        return (login, user, dataKey)
    }

    public func logOut(token: String) async throws {
        let (login, _) = try await authenticate(token: token)
        try await store.deleteLogin(id: login.id)
    }

    /// Deletes the account of `token`; the password is asked again (a stolen token alone cannot).
    public func deleteAccount(token: String, password: String) async throws {
        let (_, user) = try await authenticate(token: token)
        guard try await opened(user, with: password) != nil else { throw VaultError.invalidCredentials }
        try await store.deleteUser(id: user.id)
    }

    /// The account's data key, when `password` opens it.
    private func opened(_ user: VaultUser, with password: String) async throws -> SymmetricKey? {
        guard let wrapped = try? JSONDecoder().decode(WrappedDataKey.self, from: Data(user.wrappedDataKey.utf8)) else {
            return nil
        }
        let raw = try await KeyDerivationWork.run {
            (try? wrapped.unwrap(password: password)).map { key in key.withUnsafeBytes { Array($0) } }
        }
        return raw.map { SymmetricKey(data: $0) }
    }

    private func startLogin(for user: VaultUser, dataKey: SymmetricKey) async throws -> LoginGrant {
        let token = "bvl_" + SecureRandom.base64URLToken(byteCount: 32)
        let now = configuration.clock()
        let id = SecureRandom.uuid()
        let login = LoginSession(
            id: id,
            userID: user.id,
            tokenHash: SecureHash.sha256Hex(token),
            createdAt: now,
            expiresAt: now + configuration.loginLifetime,
            sealedDataKey: try TokenSealedKey.seal(dataKey, token: token, loginID: id)
        )
        try await store.insert(login)
        return LoginGrant(
            token: token,
            user: .init(id: user.id, username: user.username),
            sessionId: login.id,
            expiresAt: login.expiresAt
        )
    }
}
