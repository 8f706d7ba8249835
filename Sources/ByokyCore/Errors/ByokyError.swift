/// The one error type of Byoky's libraries: a wire-stable ``Code`` and a message safe to show.
///
/// Two errors are equal when their codes are. ``description`` never holds a key, token or
/// prompt: messages are built from identifiers and counts only.
public struct ByokyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable code.
    public let code: Code
    /// A sentence for people, safe to log and to return to an app.
    public let message: String
    /// Machine-readable facts that go with the code, e.g. `providerId` or `retryAfter`.
    public let details: [String: String]
    /// The error that caused this one, for diagnostics; never sent to a client.
    public let underlying: (any Error)?
    /// Where the error was made, for diagnostics; never sent to a client.
    public let location: String

    public init(
        _ code: Code,
        _ message: String,
        details: [String: String] = [:],
        underlying: (any Error)? = nil,
        fileID: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.details = details
        self.underlying = underlying
        self.location = "\(fileID):\(line)"
    }

    /// The HTTP status that carries this error (see ``Code/httpStatus``).
    public var httpStatus: Int { code.httpStatus }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func == (lhs: ByokyError, rhs: ByokyError) -> Bool { lhs.code == rhs.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
