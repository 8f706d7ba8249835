/// A frame of the relay protocol, version 1 (the original's `relay:*` JSON text frames).
///
/// Parse with ``parse(_:maximumSize:)``, which names the reason for every rejection; write with
/// ``encoded()``. Bodies travel as text in v1; the v2 protocol (with the relay issue) adds binary
/// bodies, multiplexing and end-to-end encryption.
public enum RelayMessage: Sendable, Hashable {
    /// Backend relay: the app's front end announces itself (`sessionId` is never the session key).
    /// `correlationID` (our addition, `correlationId`) is chosen by the app so its backend can tell
    /// which of its users a connection belongs to.
    case hello(sessionID: String, providers: [String: ProviderAvailability]?, correlationID: String? = nil)
    /// A provider request to run through the wallet.
    case request(RelayRequest)
    /// The response head.
    case responseMeta(requestID: String, status: Int, statusText: String?, headers: [String: String]?)
    /// A piece of the response body, as text (v1).
    case responseChunk(requestID: String, chunk: String)
    /// A piece of the response body as bytes: a `relay:response:chunk` with `"encoding":"base64"`
    /// (our addition, so binary bodies survive).
    case responseData(requestID: String, bytes: [UInt8])
    /// The requester gave up on a request (our addition, `relay:request:cancel`).
    case requestCancel(requestID: String)
    /// The response ended normally.
    case responseDone(requestID: String)
    /// The request failed.
    case responseError(requestID: String, error: WireError?)
    /// Keep-alive; `ts` is the sender's clock in Unix milliseconds.
    case ping(ts: Double)
    case pong(ts: Double)
    /// Pairing: the wallet lists what it offers. In a version 2 pairing it adds its X25519
    /// `publicKey` and `proof`, a MAC over that key with the code's pre-shared key
    /// (``RelaySealing/pairingProof(publicKey:presharedKey:)``).
    case pairHello(providers: [String: ProviderAvailability], publicKey: String? = nil, proof: String? = nil)
    /// Pairing: the app accepts.
    case pairAck
    /// Pairing: the wallet offers a vault session as fallback.
    case vaultOffer(vaultURL: String, appSessionToken: String, providers: [String: ProviderAvailability]?)
    /// Pairing: the wallet could not make a vault offer.
    case vaultOfferFailed(reason: String)
    /// Joining a room. `senderKey` proves a sender of a version 2 room (`v2_` + its hash).
    case auth(roomID: String, authToken: String, role: RelayRole, priority: Int?, senderKey: String? = nil)
    /// The relay's answer to ``auth(roomID:authToken:role:priority:senderKey:)``.
    case authResult(success: Bool, error: String?, peerOnline: Bool?)
    /// The other side of the room came online or went offline.
    case peerStatus(online: Bool)
    /// A gift's giver reports the tokens used so far.
    case usage(giftID: String, usedTokens: Int)
    /// Pairing: the wallet reports the paired session's usage after each request (our addition,
    /// `relay:pair:usage`).
    case sessionUsage(SessionUsage)
    /// A ``request(_:)`` frame sealed end to end to the wallet (see ``RelaySealing``); the relay
    /// sees only the request id.
    case sealedRequest(requestID: String, encapsulatedKey: String, ciphertext: String)
    /// One response frame (meta, chunk, done or error) sealed end to end, numbered from 0.
    case sealedResponse(requestID: String, sequence: Int, ciphertext: String)

    /// The largest frame the core parser accepts by default (the relay server allows 20 MB).
    public static let defaultMaximumSize = 1_048_576
    /// The relay server's frame limit.
    public static let relayMaximumFrameSize = 20 * 1024 * 1024

    /// The frame's `type` field.
    public var type: String {
        switch self {
        case .hello: "relay:hello"
        case .request: "relay:request"
        case .responseMeta: "relay:response:meta"
        case .responseChunk, .responseData: "relay:response:chunk"
        case .requestCancel: "relay:request:cancel"
        case .responseDone: "relay:response:done"
        case .responseError: "relay:response:error"
        case .ping: "relay:ping"
        case .pong: "relay:pong"
        case .pairHello: "relay:pair:hello"
        case .pairAck: "relay:pair:ack"
        case .vaultOffer: "relay:vault:offer"
        case .vaultOfferFailed: "relay:vault:offer:failed"
        case .auth: "relay:auth"
        case .authResult: "relay:auth:result"
        case .peerStatus: "relay:peer:status"
        case .usage: "relay:usage"
        case .sessionUsage: "relay:pair:usage"
        case .sealedRequest: "relay:request:sealed"
        case .sealedResponse: "relay:response:sealed"
        }
    }

    /// The request an answer frame (meta, chunk, done, error) belongs to; `nil` for other frames.
    public var answerRequestID: String? {
        switch self {
        case .responseMeta(let id, _, _, _), .responseChunk(let id, _), .responseData(let id, _), .responseDone(let id),
            .responseError(let id, _):
            id
        default: nil
        }
    }

    /// Every frame type of protocol version 1.
    public static let knownTypes: Set<String> = [
        "relay:hello", "relay:request", "relay:response:meta", "relay:response:chunk", "relay:response:done",
        "relay:response:error", "relay:ping", "relay:pong", "relay:pair:hello", "relay:pair:ack", "relay:vault:offer",
        "relay:vault:offer:failed", "relay:auth", "relay:auth:result", "relay:peer:status", "relay:usage",
        "relay:request:cancel", "relay:request:sealed", "relay:response:sealed", "relay:pair:usage",
    ]
}

/// A room role on the relay.
public enum RelayRole: String, Sendable, Hashable, Codable {
    /// The wallet that serves requests.
    case sender
    /// The app or gift receiver that sends them.
    case recipient
}

/// A request carried over the relay.
public struct RelayRequest: Sendable, Hashable {
    public var requestID: String
    public var provider: ProviderID
    public var url: String
    public var method: String
    public var headers: [String: String]
    public var body: String?
    /// `"base64"` when ``body`` holds base64 of arbitrary bytes; `nil` for UTF-8 text.
    public var bodyEncoding: String?

    public init(
        requestID: String,
        provider: ProviderID,
        url: String,
        method: String,
        headers: [String: String] = [:],
        body: String? = nil,
        bodyEncoding: String? = nil
    ) {
        self.requestID = requestID
        self.provider = provider
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.bodyEncoding = bodyEncoding
    }

    /// A request whose body is arbitrary bytes: UTF-8 text travels as is, anything else as base64.
    public init(
        requestID: String,
        provider: ProviderID,
        url: String,
        method: String,
        headers: [String: String] = [:],
        bodyBytes: [UInt8]?
    ) {
        self.init(requestID: requestID, provider: provider, url: url, method: method, headers: headers)
        guard let bodyBytes else { return }
        if let text = String(validating: bodyBytes, as: UTF8.self) {
            body = text
        } else {
            body = Base64.encode(bodyBytes)
            bodyEncoding = "base64"
        }
    }

    /// The body's bytes, decoding base64 when ``bodyEncoding`` says so; `nil` for a malformed body.
    public var bodyBytes: [UInt8]? {
        guard let body else { return nil }
        if bodyEncoding == "base64" { return Base64.decode(body) }
        return Array(body.utf8)
    }
}
