/// One rule a manifest breaks: the field (`author.email`, `providers[1]`) and what to change.
public struct ManifestProblem: Codable, Sendable, Equatable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// A manifest that cannot be taken, with every rule it breaks.
public struct ManifestRejection: Error, Sendable, Equatable {
    public let problems: [ManifestProblem]

    public init(_ problems: [ManifestProblem]) { self.problems = problems }
}
