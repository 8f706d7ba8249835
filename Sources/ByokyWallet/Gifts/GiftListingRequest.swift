/// What `byoky gift create --list` asks a running wallet to do (the control socket's
/// `POST /gifts/{id}/list`).
public struct GiftListingRequest: Codable, Sendable, Hashable {
    public var marketplace: String
    public var name: String?
    public var anonymous: Bool

    public init(marketplace: String, name: String?, anonymous: Bool) {
        self.marketplace = marketplace
        self.name = name
        self.anonymous = anonymous
    }
}
