/// The payload an app shows (as a code or QR) so the owner's wallet can pair with it through a relay.
///
/// The v1 format is the original's: `{"v":1,"r":relayURL,"id":roomID,"t":authToken,"o":appOrigin}`,
/// encoded like a gift link. Version 2 (ours, what the SDK makes) adds `k`, a random 256-bit key
/// that travels only in the code: the wallet proves it holds it, and every request and answer is
/// sealed with it mixed in (``RelaySealing``), so the relay can neither read nor forge them. A
/// version 2 code may add `a`, the cipher the app can use (``RelaySealing/AEAD``; a browser page
/// asks for `aes-256-gcm`, which WebCrypto has); without it both ends use ChaCha20-Poly1305.
public struct PairingPayload: Sendable, Hashable, Codable {
    public var version: Int
    public var relayURL: String
    public var roomID: String
    /// The room secret. A bearer secret: show it only to the owner.
    public var authToken: String
    /// The origin or name the app claims; self-declared, so the wallet shows it as unverified.
    public var appOrigin: String
    /// Version 2: the pre-shared key (base64url of 32 bytes). A secret, like ``authToken``.
    public var presharedKey: String?
    /// Version 2: the cipher the app asks for; `nil` means ChaCha20-Poly1305.
    public var aead: RelaySealing.AEAD?

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
        case presharedKey = "k"
        case aead = "a"
    }

    public init(
        version: Int? = nil,
        relayURL: String,
        roomID: String,
        authToken: String,
        appOrigin: String,
        presharedKey: String? = nil,
        aead: RelaySealing.AEAD? = nil
    ) {
        self.version = version ?? (presharedKey == nil ? 1 : 2)
        self.presharedKey = presharedKey
        self.aead = aead
        self.relayURL = relayURL
        self.roomID = roomID
        self.authToken = authToken
        self.appOrigin = appOrigin
    }

    /// A new version 2 payload with a random room id (UUID), a 256-bit token (64 hex characters)
    /// and a 256-bit pre-shared key; `aead` is named in the code unless it is the default.
    public static func generate(
        relayURL: String,
        appOrigin: String,
        aead: RelaySealing.AEAD = .chaCha20Poly1305
    ) -> PairingPayload {
        PairingPayload(
            relayURL: relayURL,
            roomID: SecureRandom.uuid(),
            authToken: SecureRandom.hexToken(byteCount: 32),
            appOrigin: appOrigin,
            presharedKey: SecureRandom.base64URLToken(byteCount: 32),
            aead: aead == .chaCha20Poly1305 ? nil : aead
        )
    }

    /// The pre-shared key's bytes, when the payload has a well-formed one.
    public var presharedKeyBytes: [UInt8]? {
        presharedKey.flatMap(Base64.decodeURLSafe).flatMap { $0.count == 32 ? $0 : nil }
    }

    /// The encoded payload.
    public func encoded() -> String {
        Base64.encodeURLSafe(
            JSONWriter.object([
                ("v", .number(Double(version))), ("r", .string(relayURL)), ("id", .string(roomID)),
                ("t", .string(authToken)), ("o", .string(appOrigin)), ("k", presharedKey.map(JSONValue.string)),
                ("a", aead.map { .string($0.rawValue) }),
            ])
        )
    }

    /// Decodes a payload, stripping one accepted URL prefix; `nil` when it is too long, malformed,
    /// of a version other than 1 or 2, a version 2 payload without a 32-byte key, or one that names
    /// a cipher this build does not have (or a version 1 payload that names one).
    public static func decode(_ input: String) -> PairingPayload? {
        var encoded = Substring(input.trimmingASCIIWhitespace())
        for prefix in acceptedPrefixes where encoded.hasPrefix(prefix) {
            encoded = encoded.dropFirst(prefix.count)
            break
        }
        guard !encoded.isEmpty, encoded.utf8.count <= maximumLength,
            let bytes = Base64.decodeURLSafe(String(encoded)),
            let payload = try? JSONCoding.decode(PairingPayload.self, from: bytes),
            (payload.version == 1 && payload.aead == nil) || (payload.version == 2 && payload.presharedKeyBytes != nil)
        else { return nil }
        return payload
    }
}
