/// What signing up or logging in answers: the login token (shown once; only its hash is kept).
public struct LoginGrant: Codable, Sendable {
    public struct User: Codable, Sendable, Hashable {
        public let id: String
        public let username: String
    }

    public let token: String
    public let user: User
    public let sessionId: String
    public let expiresAt: Int64
}
