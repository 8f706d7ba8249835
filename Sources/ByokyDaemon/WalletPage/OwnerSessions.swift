import ByokyCore
import ByokyHTTPServer
import Crypto
import Synchronization

/// Who may use the wallet page: one-time login tokens (made by `byoky open` over the owner-only
/// control socket) exchanged for a browser session held in an `HttpOnly; SameSite=Strict` cookie,
/// each with its own CSRF token. Only hashes of tokens and cookies are kept; everything lives in
/// the daemon's memory, so a restart logs every browser out.
final class OwnerSessions: Sendable {
    /// How long a login URL works.
    static let loginLifetime: Int64 = 120_000
    /// How long a browser session lasts without use.
    static let idleLifetime: Int64 = 30 * 60_000
    /// How long a browser session lasts at most.
    static let absoluteLifetime: Int64 = 12 * 3_600_000
    /// At most this many login tokens wait at once (older ones are dropped).
    static let maximumPendingLogins = 16
    /// At most this many browser sessions at once (the oldest ends).
    static let maximumSessions = 16

    /// A browser the owner logged in with.
    struct Session: Sendable {
        /// Sent back in every form and in the `x-byoky-csrf` header of the page's own requests.
        let csrfToken: String
        let createdAt: Int64
        var lastUsedAt: Int64
    }

    private struct State {
        var logins: [String: Int64] = [:]
        var sessions: [String: Session] = [:]
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Int64

    init(now: @escaping @Sendable () -> Int64) {
        self.now = now
    }

    private static func digest(_ secret: String) -> String {
        Hex.encode(Array(SHA256.hash(data: Array(secret.utf8))))
    }

    /// A new single-use login token.
    func issueLoginToken() -> String {
        let token = SecureRandom.base64URLToken(byteCount: 32)
        let current = now()
        state.withLock { state in
            state.logins = state.logins.filter { $0.value > current }
            if state.logins.count >= Self.maximumPendingLogins,
                let oldest = state.logins.min(by: { $0.value < $1.value })
            {
                state.logins.removeValue(forKey: oldest.key)
            }
            state.logins[Self.digest(token)] = current + Self.loginLifetime
        }
        return token
    }

    /// Exchanges a login token (once, before it expires) for a session; returns the cookie's value.
    func redeem(loginToken: String) -> String? {
        guard loginToken.utf8.count <= 128 else { return nil }
        let current = now()
        let key = Self.digest(loginToken)
        return state.withLock { state -> String? in
            guard let expiry = state.logins.removeValue(forKey: key), expiry > current else { return nil }
            let cookie = SecureRandom.base64URLToken(byteCount: 32)
            state.sessions = state.sessions.filter { Self.isLive($0.value, at: current) }
            if state.sessions.count >= Self.maximumSessions,
                let oldest = state.sessions.min(by: { $0.value.createdAt < $1.value.createdAt })
            {
                state.sessions.removeValue(forKey: oldest.key)
            }
            state.sessions[Self.digest(cookie)] = Session(
                csrfToken: SecureRandom.base64URLToken(byteCount: 32),
                createdAt: current,
                lastUsedAt: current
            )
            return cookie
        }
    }

    /// The live session a cookie names (its idle clock restarts), or `nil`.
    func session(cookie: String) -> Session? {
        guard cookie.utf8.count <= 128 else { return nil }
        let current = now()
        let key = Self.digest(cookie)
        return state.withLock { state in
            guard var session = state.sessions[key] else { return nil }
            guard Self.isLive(session, at: current) else {
                state.sessions.removeValue(forKey: key)
                return nil
            }
            session.lastUsedAt = current
            state.sessions[key] = session
            return session
        }
    }

    /// Ends the session a cookie names.
    func end(cookie: String) {
        let key = Self.digest(cookie)
        state.withLock { _ = $0.sessions.removeValue(forKey: key) }
    }

    /// Ends every browser session and login token (the wallet was locked).
    func endAll() {
        state.withLock {
            $0.sessions.removeAll()
            $0.logins.removeAll()
        }
    }

    private static func isLive(_ session: Session, at time: Int64) -> Bool {
        time - session.lastUsedAt < idleLifetime && time - session.createdAt < absoluteLifetime
    }
}
