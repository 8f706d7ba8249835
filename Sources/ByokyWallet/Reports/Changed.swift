/// Whether a command changed something (an app assignment): the control socket's answer, read by
/// the CLI.
public struct Changed: Codable, Sendable {
    public let changed: Bool

    public init(changed: Bool) {
        self.changed = changed
    }
}
