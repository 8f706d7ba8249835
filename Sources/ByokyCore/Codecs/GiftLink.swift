/// The shareable payload of a token gift, in the original's v1 format.
///
/// On the wire it is a JSON object with short keys in the order `v id p n s t m e r`, UTF-8,
/// then URL-safe base64 without padding. Decoding is lenient about field presence (as the
/// original is); ``validate(nowMilliseconds:)`` then says what is wrong, in the original's words.
///
/// - Important: `t` is a bearer secret of the v1 protocol: whoever holds the link can spend the
///   gift. Treat links like keys.
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
        relayURL: String?
    ) {
        self.version = version
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
        relayURL: String
    ) {
        self.init(
            giftID: giftID,
            provider: provider.rawValue,
            providerName: ProviderRegistry.displayName(of: provider),
            senderLabel: senderLabel,
            authToken: authToken,
            maxTokens: Double(maxTokens),
            expiresAt: Double(expiresAt),
            relayURL: relayURL
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
                ("r", relayURL.map(JSONValue.string)),
            ])
        )
    }

    /// The web URL of the link: `https://byoky.com/gift/<encoded>`.
    public func url() -> String { Self.url(forEncoded: encoded()) }

    /// The web URL for an already encoded link.
    public static func url(forEncoded encoded: String) -> String { "https://byoky.com/gift/\(encoded)" }

    /// Decodes an encoded link or any accepted URL form; `nil` on any failure or a version other than 1.
    public static func decode(_ input: String) -> GiftLink? {
        guard input.utf8.count <= maximumLength else { return nil }
        var encoded = Substring(input)
        for prefix in acceptedPrefixes where encoded.hasPrefix(prefix) {
            encoded = encoded.dropFirst(prefix.count)
            break
        }
        guard !encoded.isEmpty, let bytes = Base64.decodeURLSafe(String(encoded)),
            let object = JSONCoding.parse(bytes)?.objectValue, object["v"]?.numberValue == 1
        else { return nil }
        return GiftLink(
            version: 1,
            giftID: object["id"]?.stringValue,
            provider: object["p"]?.stringValue,
            providerName: object["n"]?.stringValue,
            senderLabel: object["s"]?.stringValue,
            authToken: object["t"]?.stringValue,
            maxTokens: object["m"]?.numberValue,
            expiresAt: object["e"]?.numberValue,
            relayURL: object["r"]?.stringValue
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
        guard version == 1 else { return .invalid(reason: "Unsupported gift version") }
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
        if requireKnownProvider, ProviderRegistry.provider(ProviderID(provider)) == nil {
            return .invalid(reason: "Unknown provider")
        }
        return .valid
    }
}
