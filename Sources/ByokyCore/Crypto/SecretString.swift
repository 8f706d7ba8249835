/// A secret held in memory (an API key, token or password) that never prints itself.
///
/// `description`, `debugDescription` and string interpolation all give `<redacted>`; read the
/// value only where it is used, through ``exposedValue``.
public struct SecretString: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret itself. Never log, print or put it in an error.
    public let exposedValue: String

    public init(_ value: String) { exposedValue = value }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }

    /// Whether the secret is empty.
    public var isEmpty: Bool { exposedValue.isEmpty }

    /// Compares with `other` in constant time.
    public func matches(_ other: String) -> Bool { ConstantTime.equals(exposedValue, other) }

    public static func == (lhs: SecretString, rhs: SecretString) -> Bool {
        ConstantTime.equals(lhs.exposedValue, rhs.exposedValue)
    }
}
