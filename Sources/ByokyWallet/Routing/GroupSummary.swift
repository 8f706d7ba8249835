/// A routing group as listings show it (`byoky group list --json`, the control socket's `/groups`).
public struct GroupSummary: Codable, Sendable, Hashable {
    public let name: String
    public let provider: String
    public let model: String?
    /// The label of the key the group pins, if any.
    public let pinnedKey: String?
    /// The id of the received gift the group pins, if any.
    public let pinnedGift: String?
    /// The apps routed through the group.
    public let apps: [String]
}
