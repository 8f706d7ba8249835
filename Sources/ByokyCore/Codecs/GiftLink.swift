/// The shareable payload of a token gift.
///
/// On the wire it is a JSON object with short keys in the order `v id p n s t m e r`, UTF-8,
/// then URL-safe base64 without padding. Decoding is lenient about field presence (as the
/// original is); ``validate(nowMilliseconds:requireKnownProvider:)`` then says what is wrong, in
/// the original's words.
///
/// Version 1 is the original's: the room is the gift id, and anyone holding the link could join
/// it as the sender. Version 2 (ours) adds `room`, a version 2 room id derived from a key only
/// the giver holds, and `pk`, the giver's X25519 public key, to which every request is sealed
/// end to end (``RelaySealing``). Neither carries a secret of the giver's.
///
/// - Important: `t` lets its holder spend the gift (up to its budget). Treat links like keys.
public struct GiftLink: Sendable, Hashable {
    /// The format version; only 1 exists today. A v2 format will carry a different value here.
    public var version: Int
    /// The gift's id (`id`).
    public var giftID: String?
    /// The provider id (`p`).
    public var provider: String?
    /// The provider's display name (`n`).
    public var providerName: String?
    /// The giver's label (`s`).
    public var senderLabel: String?
    /// The bearer token (`t`).
    public var authToken: String?
    /// The token budget (`m`).
    public var maxTokens: Double?
    /// Expiry, Unix milliseconds (`e`).
    public var expiresAt: Double?
    /// The relay URL (`r`).
    public var relayURL: String?
    /// Version 2: the relay room (`room`), `v2_` + base64url SHA-256 of the giver's sender key.
    public var roomID: String?
    /// Version 2: the giver's X25519 public key, base64url (`pk`).
    public var publicKey: String?

    /// The largest encoded link or URL accepted.
    public static let maximumLength = 8192

    /// The URL prefixes a link may carry, current form last.
    public static let acceptedPrefixes = ["byoky://gift/", "https://byoky.com/gift#", "https://byoky.com/gift/"]

    public init(
        version: Int = 1,
        giftID: String?,
        provider: String?,
        providerName: String?,
        senderLabel: String?,
        authToken: String?,
        maxTokens: Double?,
        expiresAt: Double?,
        relayURL: String?,
        roomID: String? = nil,
        publicKey: String? = nil
    ) {
        self.version = version
        self.roomID = roomID
        self.publicKey = publicKey
        self.giftID = giftID
        self.provider = provider
        self.providerName = providerName
        self.senderLabel = senderLabel
        self.authToken = authToken
        self.maxTokens = maxTokens
        self.expiresAt = expiresAt
        self.relayURL = relayURL
    }

    /// The link for a gift, naming the provider by its registry display name.
    public init(
        giftID: String,
        provider: ProviderID,
        senderLabel: String,
        authToken: String,
        maxTokens: Int,
        expiresAt: Int64,
        relayURL: String,
        roomID: String? = nil,
        publicKey: String? = nil
    ) {
        self.init(
            version: roomID == nil ? 1 : 2,
            giftID: giftID,
            provider: provider.rawValue,
            providerName: ProviderRegistry.displayName(of: provider),
            senderLabel: senderLabel,
            authToken: authToken,
            maxTokens: Double(maxTokens),
            expiresAt: Double(expiresAt),
            relayURL: relayURL,
            roomID: roomID,
            publicKey: publicKey
        )
    }

    /// Encodes the link (JSON, UTF-8, URL-safe base64 without padding).
    public func encoded() -> String {
        Base64.encodeURLSafe(
            JSONWriter.object([
                ("v", .number(Double(version))), ("id", giftID.map(JSONValue.string)),
                ("p", provider.map(JSONValue.string)), ("n", providerName.map(JSONValue.string)),
                ("s", senderLabel.map(JSONValue.string)), ("t", authToken.map(JSONValue.string)),
                ("m", maxTokens.map(JSONValue.number)), ("e", expiresAt.map(JSONValue.number)),
                ("r", relayURL.map(JSONValue.string)), ("room", roomID.map(JSONValue.string)),
                ("pk", publicKey.map(JSONValue.string)),
            ])
        )
    }

    /// The web URL of the link: `https://byoky.com/gift/<encoded>`.
    public func url() -> String { Self.url(forEncoded: encoded()) }

    /// The web URL for an already encoded link.
    public static func url(forEncoded encoded: String) -> String { "https://byoky.com/gift/\(encoded)" }

    /// Decodes an encoded link or any accepted URL form; `nil` on any failure or a version other than 1 or 2.
    public static func decode(_ input: String) -> GiftLink? {
        guard input.utf8.count <= maximumLength else { return nil }
        var encoded = Substring(input)
        for prefix in acceptedPrefixes where encoded.hasPrefix(prefix) {
            encoded = encoded.dropFirst(prefix.count)
            break
        }
        guard !encoded.isEmpty, let bytes = Base64.decodeURLSafe(String(encoded)),
            let object = JSONCoding.parse(bytes)?.objectValue, let version = object["v"]?.numberValue,
            version == 1 || version == 2
        else { return nil }
        return GiftLink(
            version: Int(version),
            giftID: object["id"]?.stringValue,
            provider: object["p"]?.stringValue,
            providerName: object["n"]?.stringValue,
            senderLabel: object["s"]?.stringValue,
            authToken: object["t"]?.stringValue,
            maxTokens: object["m"]?.numberValue,
            expiresAt: object["e"]?.numberValue,
            relayURL: object["r"]?.stringValue,
            roomID: object["room"]?.stringValue,
            publicKey: object["pk"]?.stringValue
        )
    }

    /// The outcome of ``validate(nowMilliseconds:)``.
    public enum Validation: Sendable, Hashable {
        case valid
        case invalid(reason: String)
    }

    /// Checks the link in the original's order and with its messages, then (when `requireKnownProvider`)
    /// that the provider is one Byoky knows.
    public func validate(nowMilliseconds: Int64, requireKnownProvider: Bool = false) -> Validation {
        guard version == 1 || version == 2 else { return .invalid(reason: "Unsupported gift version") }
        guard let giftID, !giftID.isEmpty else { return .invalid(reason: "Missing gift ID") }
        guard let provider, !provider.isEmpty else { return .invalid(reason: "Missing provider") }
        guard let authToken, !authToken.isEmpty else { return .invalid(reason: "Missing auth token") }
        guard let relayURL, !relayURL.isEmpty else { return .invalid(reason: "Missing relay URL") }
        guard let maxTokens, maxTokens > 0 else { return .invalid(reason: "Invalid token budget") }
        guard let expiresAt, expiresAt > Double(nowMilliseconds) else { return .invalid(reason: "Gift has expired") }
        guard let relay = AbsoluteURL(relayURL) else { return .invalid(reason: "Invalid relay URL") }
        guard relay.scheme == "wss" || (relay.scheme == "ws" && relay.isLoopbackHost) else {
            return .invalid(reason: "Relay URL must use wss://")
        }
        if version == 2 {
            guard let roomID, roomID.hasPrefix("v2_"), roomID.utf8.count <= 256 else {
                return .invalid(reason: "Missing relay room")
            }
            guard let publicKey, RelaySealing.isPublicKey(publicKey) else {
                return .invalid(reason: "Missing or invalid giver key")
            }
        }
        if requireKnownProvider, ProviderRegistry.provider(ProviderID(provider)) == nil {
            return .invalid(reason: "Unknown provider")
        }
        return .valid
    }
}
