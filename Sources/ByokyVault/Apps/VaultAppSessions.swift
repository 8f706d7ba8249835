import ByokyCore
import ByokyStore
import ByokyWallet
import Crypto
import Foundation
import HTTPTypes

/// App sessions on vault accounts: made under a login for an app's origin and providers, used by
/// the app's requests to `/proxy`, ended by the app or by the owner.
struct VaultAppSessions: Sendable {
    let accounts: VaultAccounts
    let store: VaultStore
    let configuration: VaultConfiguration

    /// Makes a session for the app, under the login holding `token`.
    ///
    /// - Parameter originHeader: the browser's `Origin`; it binds the session (and must equal
    ///   `appOrigin` when both are given). Without it the session is a program's and answers no page.
    func connect(_ request: VaultConnectRequest, originHeader: String?, token: String) async throws -> ConnectResponse {
        let (_, user, dataKey) = try await accounts.unlocked(token: token)
        let bound = try originHeader.map { header in
            guard let origin = Self.normalizedOrigin(header) else {
                throw VaultError(
                    status: .badRequest,
                    code: "MISSING_ORIGIN",
                    message: "This page has no origin to bind"
                )
            }
            return origin
        }
        let declared = try request.appOrigin.map { origin in
            guard let normalized = Self.normalizedOrigin(origin) else {
                throw VaultError.invalid("appOrigin is an origin such as https://app.example")
            }
            return normalized
        }
        if let bound, let declared, bound != declared {
            throw VaultError(
                status: .badRequest,
                code: "ORIGIN_MISMATCH",
                message: "appOrigin is not the origin of the page asking"
            )
        }
        let name = TerminalText.printable(request.appName ?? declared ?? bound ?? "")
        guard !name.isEmpty, name.count <= 100 else {
            throw VaultError.invalid("Name the app (appName, 1 to 100 characters) or give its appOrigin")
        }
        let asked = request.providers.filter { ProviderRegistry.provider($0.id) != nil }
        guard !asked.isEmpty, request.providers.count <= 32 else {
            throw VaultError.invalid("Ask for 1 to 32 known providers")
        }
        let now = configuration.clock()
        guard try await store.liveAppSessions(of: user.id, now: now) < configuration.appSessionsPerAccount else {
            throw VaultError(
                status: .tooManyRequests,
                code: "TOO_MANY_SESSIONS",
                message:
                    "This account has \(configuration.appSessionsPerAccount) live app sessions — end some (`byoky vault apps`)"
            )
        }
        let availability = try await offer(asked.map(\.id), app: name, userID: user.id, now: now)
        for requirement in asked where requirement.required && availability[requirement.id.rawValue]?.available != true
        {
            throw VaultError(
                status: .forbidden,
                code: "PROVIDER_UNAVAILABLE",
                message:
                    "This vault account has no key for \(requirement.id.rawValue) — push one with `byoky vault push`"
            )
        }
        let key = "bva_" + SecureRandom.hexToken(byteCount: 32)
        let session = VaultAppSession(
            id: SecureRandom.uuid(),
            userID: user.id,
            tokenHash: SecureHash.sha256Hex(key),
            appName: name,
            appOrigin: bound,
            providers: asked.map(\.id.rawValue).joined(separator: ","),
            sealedDataKey: "",
            createdAt: now,
            expiresAt: now + configuration.appSessionLifetime
        )
        try await store.insert(session.sealing(dataKey, key: key))
        return ConnectResponse(sessionKey: key, proxyUrl: "", providers: availability, expiresAt: session.expiresAt)
    }

    /// The live session an app's key opens, with the account's data key; `UNAUTHORIZED` otherwise.
    func open(key: String) async throws -> (session: VaultAppSession, dataKey: SymmetricKey) {
        guard key.hasPrefix("bva_"), key.utf8.count <= 128,
            let session = try await store.appSession(tokenHash: SecureHash.sha256Hex(key), now: configuration.clock()),
            let dataKey = try? TokenSealedKey.open(session.sealedDataKey, token: key, loginID: session.id)
        else { throw ByokyError(.unauthorized, "This vault session is unknown, expired or ended — connect again") }
        return (session, dataKey)
    }

    /// What the account can serve of `providers` for the app named `app` (its synced routing applies).
    func offer(
        _ providers: [ProviderID],
        app: String,
        userID: String,
        now: Int64
    ) async throws
        -> [String: ProviderAvailability]
    {
        RouteResolver.availability(
            for: providers,
            group: try await store.routing(of: userID).group(forApp: app),
            credentials: try await store.credentials(of: userID).compactMap(\.record),
            gifts: [],
            now: now
        )
    }

    /// The account's live app sessions (the owner's view; never their keys).
    func list(token: String) async throws -> [VaultAppSessionItem] {
        let (_, user) = try await accounts.authenticate(token: token)
        return try await store.appSessions(of: user.id, now: configuration.clock()).map {
            VaultAppSessionItem(
                id: $0.id,
                appName: $0.appName,
                appOrigin: $0.appOrigin,
                providers: $0.providers.split(separator: ",").map(String.init),
                createdAt: $0.createdAt,
                expiresAt: $0.expiresAt
            )
        }
    }

    /// Ends one of the account's app sessions (the owner, with a login).
    func revoke(id: String, token: String) async throws {
        let (_, user) = try await accounts.authenticate(token: token)
        guard try await store.revokeAppSession(id: id, of: user.id, at: configuration.clock()) else {
            throw VaultError(status: .notFound, code: "NOT_FOUND", message: "No live app session \(id) in this account")
        }
    }

    /// An origin in its canonical form (`scheme://host[:port]`, lower case), or `nil` for anything
    /// else (a path, `null`, a scheme other than http or https).
    static func normalizedOrigin(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.utf8.count <= 512, let url = AbsoluteURL(trimmed), url.scheme == "https" || url.scheme == "http",
            url.path.isEmpty || url.path == "/"
        else { return nil }
        return url.origin.lowercased()
    }
}

extension VaultAppSession {
    /// The session with the account's data key sealed under its own key.
    func sealing(_ dataKey: SymmetricKey, key: String) throws -> VaultAppSession {
        VaultAppSession(
            id: id,
            userID: userID,
            tokenHash: tokenHash,
            appName: appName,
            appOrigin: appOrigin,
            providers: providers,
            sealedDataKey: try TokenSealedKey.seal(dataKey, token: key, loginID: id),
            createdAt: createdAt,
            expiresAt: expiresAt
        )
    }
}
