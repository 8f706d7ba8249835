public import ByokyCore

/// Why a received gift stopped serving, as its giver said (stored with the gift).
public enum GiftEndReason: String, Sendable, Hashable, Codable {
    case revoked = "GIFT_REVOKED"
    case expired = "GIFT_EXPIRED"

    /// The reason an answer's byoky error code gives, if it ends a gift.
    public init?(code: String) { self.init(rawValue: code) }

    /// The error an app gets for a request through the ended gift.
    public var error: ByokyError {
        switch self {
        case .revoked: ByokyError(.giftRevoked, "The giver revoked this gift")
        case .expired: ByokyError(.giftExpired, "This gift has expired")
        }
    }
}
