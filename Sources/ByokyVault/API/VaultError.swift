public import HTTPTypes

/// An error the vault answers with: `{"error": {"code", "message"}}` and an HTTP status (the
/// original vault's shape, so its clients read it).
public struct VaultError: Error, Sendable, Equatable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    /// Seconds to wait, for `RATE_LIMITED` (also sent as `Retry-After`).
    public var retryAfter: Int?
    /// What would make a weak password stronger.
    public var feedback: [String]?

    static func invalid(_ message: String) -> VaultError {
        VaultError(status: .badRequest, code: "INVALID_INPUT", message: message)
    }

    static let invalidCredentials = VaultError(
        status: .unauthorized,
        code: "INVALID_CREDENTIALS",
        // The same for an unknown name and a wrong password: names are not revealed.
        message: "Wrong username or password"
    )

    static let unauthorized = VaultError(
        status: .unauthorized,
        code: "UNAUTHORIZED",
        message: "Log in again: this session is missing, expired or ended"
    )

    static func rateLimited(_ seconds: Int) -> VaultError {
        var error = VaultError(
            status: .tooManyRequests,
            code: "RATE_LIMITED",
            message: "Too many failed logins — try again in \(seconds) s"
        )
        error.retryAfter = seconds
        return error
    }

    static let unavailable = VaultError(
        status: .serviceUnavailable,
        code: "UNAVAILABLE",
        message: "The vault's database is not answering — try again shortly"
    )
}
