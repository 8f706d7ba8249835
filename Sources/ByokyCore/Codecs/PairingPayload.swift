/// The payload an app shows (as a code or QR) so the owner's wallet can pair with it through a relay.
///
/// The v1 format is the original's: `{"v":1,"r":relayURL,"id":roomID,"t":authToken,"o":appOrigin}`,
/// encoded like a gift link. ``version`` leaves room for the end-to-end-encrypted v2.
public struct PairingPayload: Sendable, Hashable, Codable {
    public var version: Int
    public var relayURL: String
    public var roomID: String
    /// The room secret. A bearer secret: show it only to the owner.
    public var authToken: String
    /// The origin or name the app claims; self-declared, so the wallet shows it as unverified.
    public var appOrigin: String

    /// The largest encoded payload accepted.
    public static let maximumLength = 2048
    /// URL prefixes the wallet strips before decoding.
    public static let acceptedPrefixes = ["byoky://pair/", "https://byoky.com/pair#", "https://byoky.com/pair/"]

    enum CodingKeys: String, CodingKey {
        case version = "v"
        case relayURL = "r"
        case roomID = "id"
        case authToken = "t"
        case appOrigin = "o"
    }

    public init(version: Int = 1, relayURL: String, roomID: String, authToken: String, appOrigin: String) {
        self.version = version
        self.relayURL = relayURL
        self.roomID = roomID
        self.authToken = authToken
        self.appOrigin = appOrigin
    }

    /// A new payload with a random room id (UUID) and a 256-bit token (64 hex characters).
    public static func generate(relayURL: String, appOrigin: String) -> PairingPayload {
        PairingPayload(
            relayURL: relayURL,
            roomID: SecureRandom.uuid(),
            authToken: SecureRandom.hexToken(byteCount: 32),
            appOrigin: appOrigin
        )
    }

    /// The encoded payload.
    public func encoded() -> String {
        Base64.encodeURLSafe(
            JSONWriter.object([
                ("v", .number(Double(version))), ("r", .string(relayURL)), ("id", .string(roomID)),
                ("t", .string(authToken)), ("o", .string(appOrigin)),
            ])
        )
    }

    /// Decodes a payload, stripping one accepted URL prefix; `nil` when it is too long, malformed,
    /// or of a version other than 1.
    public static func decode(_ input: String) -> PairingPayload? {
        var encoded = Substring(input.trimmingASCIIWhitespace())
        for prefix in acceptedPrefixes where encoded.hasPrefix(prefix) {
            encoded = encoded.dropFirst(prefix.count)
            break
        }
        guard !encoded.isEmpty, encoded.utf8.count <= maximumLength,
            let bytes = Base64.decodeURLSafe(String(encoded)),
            let payload = try? JSONCoding.decode(PairingPayload.self, from: bytes), payload.version == 1
        else { return nil }
        return payload
    }
}
