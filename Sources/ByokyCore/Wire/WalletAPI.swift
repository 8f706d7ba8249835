/// The JSON messages of the wallet daemon's app-facing API (`/v1/…` on the bridge port).
///
/// - `POST /v1/connect` takes ``ConnectRequest``, answers ``ConnectTicket`` (the owner must approve).
/// - `GET /v1/connect/{id}?wait=N` long-polls and answers ``ConnectStatus``.
/// - `GET /v1/session` answers ``SessionStatus``; `GET /v1/session/usage` answers ``SessionUsage``.
/// - `POST /v1/session/disconnect` ends the session.
/// - `GET /v1/events` is a server-sent event stream of ``WalletEvent``.
/// - `GET /v1/health` answers ``WalletHealth``.
/// - Errors answer ``WireErrorEnvelope``.
public enum WalletAPI {
    /// The largest request body the wallet API accepts.
    public static let maximumBodySize = 64 * 1024

    /// Decodes a wallet API body, with a size limit and a reason on failure.
    ///
    /// - Throws: ``ByokyError`` `PAYLOAD_TOO_LARGE` or `INVALID_REQUEST` (naming the problem,
    ///   never echoing the body).
    public static func decode<Message: Decodable>(
        _ type: Message.Type,
        from bytes: [UInt8],
        maximumSize: Int = maximumBodySize
    ) throws -> Message {
        guard bytes.count <= maximumSize else { throw ByokyError.payloadTooLarge("Request body", limit: maximumSize) }
        guard JSONCoding.parse(bytes) != nil else { throw ByokyError(.invalidRequest, "The body is not valid JSON") }
        do {
            return try JSONCoding.decode(type, from: bytes)
        } catch let DecodingError.keyNotFound(key, _) {
            throw ByokyError(.invalidRequest, "The body is missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ByokyError(.invalidRequest, "The body has an invalid \"\(path)\"")
        } catch let DecodingError.dataCorrupted(context) {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw ByokyError(.invalidRequest, "The body has an invalid \"\(path)\"")
        } catch {
            throw ByokyError(.invalidRequest, "The body could not be read")
        }
    }

    /// Encodes a wallet API message.
    public static func encode(_ message: some Encodable) -> [UInt8] {
        (try? JSONCoding.encode(message)) ?? []
    }
}

/// Who is asking to connect.
public struct AppIdentity: Sendable, Hashable, Codable {
    /// The app's name as it presents itself (shown to the owner as unverified unless bound to an origin).
    public var name: String
    /// The web origin, for browser apps; the session is then bound to it.
    public var origin: String?

    public init(name: String, origin: String? = nil) {
        self.name = name
        self.origin = origin
    }
}

/// A provider an app asks for.
public struct ProviderRequirement: Sendable, Hashable, Codable {
    public var id: ProviderID
    /// When `true` the connection fails (`PROVIDER_UNAVAILABLE`) unless this provider is granted.
    public var required: Bool

    public init(id: ProviderID, required: Bool = false) {
        self.id = id
        self.required = required
    }

    /// `required` may be left out (as the original SDK's apps do): it then means `false`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(ProviderID.self, forKey: .id)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
    }
}

/// `POST /v1/connect`.
public struct ConnectRequest: Sendable, Hashable, Codable {
    public var app: AppIdentity
    public var providers: [ProviderRequirement]
    /// Only restore an existing approval; never prompt the owner.
    public var reconnectOnly: Bool?

    public init(app: AppIdentity, providers: [ProviderRequirement], reconnectOnly: Bool? = nil) {
        self.app = app
        self.providers = providers
        self.reconnectOnly = reconnectOnly
    }
}

/// The answer to `POST /v1/connect`: the request waits for the owner.
public struct ConnectTicket: Sendable, Hashable, Codable {
    public var requestId: String
    /// Unix milliseconds after which the request lapses.
    public var expiresAt: Int64

    public init(requestId: String, expiresAt: Int64) {
        self.requestId = requestId
        self.expiresAt = expiresAt
    }
}

/// A granted session, as the app receives it.
public struct ConnectResponse: Sendable, Hashable, Codable {
    /// The session key: the app's stand-in for an API key. A bearer secret.
    public var sessionKey: String
    /// The bridge base URL, e.g. `http://127.0.0.1:19280`.
    public var proxyUrl: String
    public var providers: [String: ProviderAvailability]
    /// Unix milliseconds.
    public var expiresAt: Int64

    public init(sessionKey: String, proxyUrl: String, providers: [String: ProviderAvailability], expiresAt: Int64) {
        self.sessionKey = sessionKey
        self.proxyUrl = proxyUrl
        self.providers = providers
        self.expiresAt = expiresAt
    }
}

/// The state of a connect request.
public struct ConnectStatus: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable {
        case pending, approved, denied, expired
    }
    public var requestId: String
    public var status: State
    /// Present when ``status`` is `approved`.
    public var session: ConnectResponse?
    /// Present when ``status`` is `denied` or `expired`, or a required provider was not granted.
    public var error: WireError?

    public init(requestId: String, status: State, session: ConnectResponse? = nil, error: WireError? = nil) {
        self.requestId = requestId
        self.status = status
        self.session = session
        self.error = error
    }
}

/// `GET /v1/session`.
public struct SessionStatus: Sendable, Hashable, Codable {
    public var connected: Bool
    public var expiresAt: Int64?
    public var providers: [String: ProviderAvailability]?

    public init(connected: Bool, expiresAt: Int64? = nil, providers: [String: ProviderAvailability]? = nil) {
        self.connected = connected
        self.expiresAt = expiresAt
        self.providers = providers
    }
}

/// `GET /v1/session/usage`.
public struct SessionUsage: Sendable, Hashable, Codable {
    public struct ProviderUsage: Sendable, Hashable, Codable {
        public var requests: Int
        public var inputTokens: Int
        public var outputTokens: Int

        public init(requests: Int, inputTokens: Int, outputTokens: Int) {
            self.requests = requests
            self.inputTokens = inputTokens
            self.outputTokens = outputTokens
        }
    }
    public var requests: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var byProvider: [String: ProviderUsage]

    public init(requests: Int, inputTokens: Int, outputTokens: Int, byProvider: [String: ProviderUsage]) {
        self.requests = requests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.byProvider = byProvider
    }
}

/// An event on `GET /v1/events`.
public struct WalletEvent: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The owner revoked the session (or it expired); the app must reconnect.
        case sessionRevoked = "session.revoked"
        /// What the session may use changed (routing, keys or approvals).
        case providersUpdated = "providers.updated"
    }
    public var type: Kind
    public var providers: [String: ProviderAvailability]?

    public init(type: Kind, providers: [String: ProviderAvailability]? = nil) {
        self.type = type
        self.providers = providers
    }
}

/// `GET /v1/health`.
public struct WalletHealth: Sendable, Hashable, Codable {
    public var status: String
    public var version: String
    public var locked: Bool

    public init(status: String = "ok", version: String, locked: Bool) {
        self.status = status
        self.version = version
        self.locked = locked
    }
}

/// An error on the wire: in wallet API responses and in failed relay requests.
public struct WireError: Sendable, Hashable, Codable {
    public var code: String
    public var message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    public init(_ error: ByokyError) {
        self.init(code: error.code.rawValue, message: error.message)
    }

    /// The error as a ``ByokyError`` (unknown codes keep their text).
    public var byokyError: ByokyError {
        ByokyError(ByokyError.Code(rawValue: code), message)
    }
}

/// `{"error":{"code":…,"message":…}}`.
public struct WireErrorEnvelope: Sendable, Hashable, Codable {
    public var error: WireError

    public init(_ error: ByokyError) { self.error = WireError(error) }
}
