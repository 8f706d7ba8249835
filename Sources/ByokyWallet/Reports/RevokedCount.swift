/// How many sessions a revoke ended: the control socket's answer, read by the CLI.
public struct RevokedCount: Codable, Sendable {
    public let revoked: Int

    public init(revoked: Int) {
        self.revoked = revoked
    }
}
