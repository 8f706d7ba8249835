public import ByokyCore

/// What a marketplace request did wrong, answered as `{"error": message, "code": CODE}` (the
/// original board's `error` string, with a code beside it).
public struct MarketplaceError: Error, Sendable, Equatable {
    public let status: Int
    public let code: String
    public let message: String
    /// What a refused manifest breaks, rule by rule.
    public var problems: [ManifestProblem]? = nil

    /// The JSON answered for it: `{"error", "code", "problems"?}`.
    struct Body: Encodable {
        let error: String
        let code: String
        let problems: [ManifestProblem]?
    }

    var body: Body { Body(error: message, code: code, problems: problems) }

    public static func invalidManifest(_ problems: [ManifestProblem]) -> MarketplaceError {
        MarketplaceError(
            status: 400,
            code: "INVALID_MANIFEST",
            message: "The manifest breaks \(problems.count) rule\(problems.count == 1 ? "" : "s"): "
                + problems.prefix(3).map(\.description).joined(separator: "; "),
            problems: problems
        )
    }

    public static func invalid(_ message: String) -> MarketplaceError {
        MarketplaceError(status: 400, code: "INVALID_REQUEST", message: message)
    }

    public static let notFound = MarketplaceError(status: 404, code: "NOT_FOUND", message: "No such gift on the board")
    public static let unauthorized = MarketplaceError(
        status: 401,
        code: "UNAUTHORIZED",
        message: "A valid management token is required (Authorization: Bearer <token>)"
    )

    public static func gone(_ message: String) -> MarketplaceError {
        MarketplaceError(status: 410, code: "GIFT_UNAVAILABLE", message: message)
    }

    public static func conflict(_ message: String) -> MarketplaceError {
        MarketplaceError(status: 409, code: "CONFLICT", message: message)
    }

    public static func tooManyRequests(retryAfter seconds: Int) -> MarketplaceError {
        MarketplaceError(
            status: 429,
            code: "RATE_LIMITED",
            message: "Too many requests from this address; try again in \(seconds) s"
        )
    }

    public static let unavailable = MarketplaceError(
        status: 503,
        code: "UNAVAILABLE",
        message: "The board's database is not answering; try again shortly"
    )

    public static func tooLarge(_ limit: Int) -> MarketplaceError {
        MarketplaceError(status: 413, code: "PAYLOAD_TOO_LARGE", message: "The body is larger than \(limit) bytes")
    }
}
