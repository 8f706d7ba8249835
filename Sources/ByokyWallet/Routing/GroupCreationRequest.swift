/// What `byoky group add` asks a running wallet for, over the control socket.
public struct GroupCreationRequest: Codable, Sendable, Hashable {
    public let name: String
    public let provider: String
    public let model: String?
    /// A key's label or id to pin.
    public let key: String?
    /// A received gift's id (or its first characters) to pin.
    public let gift: String?

    public init(name: String, provider: String, model: String?, key: String?, gift: String?) {
        self.name = name
        self.provider = provider
        self.model = model
        self.key = key
        self.gift = gift
    }
}
