extension ByokyError {
    /// A stable, string-valued error code. Unknown codes from a peer still decode.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String

        public init(rawValue: String) { self.rawValue = rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        public var description: String { rawValue }

        // Codes of the original SDK's `ByokyErrorCode`.
        public static let walletNotInstalled = Code(rawValue: "WALLET_NOT_INSTALLED")
        public static let userRejected = Code(rawValue: "USER_REJECTED")
        public static let providerUnavailable = Code(rawValue: "PROVIDER_UNAVAILABLE")
        public static let sessionExpired = Code(rawValue: "SESSION_EXPIRED")
        public static let noSession = Code(rawValue: "NO_SESSION")
        public static let rateLimited = Code(rawValue: "RATE_LIMITED")
        public static let quotaExceeded = Code(rawValue: "QUOTA_EXCEEDED")
        public static let invalidKey = Code(rawValue: "INVALID_KEY")
        public static let tokenExpired = Code(rawValue: "TOKEN_EXPIRED")
        public static let proxyError = Code(rawValue: "PROXY_ERROR")
        public static let relayConnectionFailed = Code(rawValue: "RELAY_CONNECTION_FAILED")
        public static let relayDisconnected = Code(rawValue: "RELAY_DISCONNECTED")
        public static let unknown = Code(rawValue: "UNKNOWN")

        // Codes the original sends on the wire (relay, gifts, bridge, extension).
        public static let giftExpired = Code(rawValue: "GIFT_EXPIRED")
        public static let giftBudgetExhausted = Code(rawValue: "GIFT_BUDGET_EXHAUSTED")
        public static let giftSenderOffline = Code(rawValue: "GIFT_SENDER_OFFLINE")
        public static let giftTimeout = Code(rawValue: "GIFT_TIMEOUT")
        public static let giftAuthFailed = Code(rawValue: "GIFT_AUTH_FAILED")
        public static let giftRelayError = Code(rawValue: "GIFT_RELAY_ERROR")
        public static let invalidURL = Code(rawValue: "INVALID_URL")
        public static let decryptFailed = Code(rawValue: "DECRYPT_FAILED")
        public static let internalError = Code(rawValue: "INTERNAL_ERROR")
        public static let walletLocked = Code(rawValue: "WALLET_LOCKED")
        public static let bridgeUnavailable = Code(rawValue: "BRIDGE_UNAVAILABLE")
        public static let bridgeError = Code(rawValue: "BRIDGE_ERROR")
        /// A server of this project (a vault) cannot reach its database; try again shortly.
        public static let serviceUnavailable = Code(rawValue: "SERVICE_UNAVAILABLE")
        public static let noCredential = Code(rawValue: "NO_CREDENTIAL")
        public static let translationFailed = Code(rawValue: "TRANSLATION_FAILED")
        public static let translationNotSupported = Code(rawValue: "TRANSLATION_NOT_SUPPORTED")
        public static let swapFailed = Code(rawValue: "SWAP_FAILED")
        public static let invalidResponse = Code(rawValue: "INVALID_RESPONSE")
        public static let noSender = Code(rawValue: "NO_SENDER")
        public static let extensionError = Code(rawValue: "EXTENSION_ERROR")

        // Codes Byoky for Swift adds.
        /// The request is malformed (bad JSON, missing field, unsupported value).
        public static let invalidRequest = Code(rawValue: "INVALID_REQUEST")
        /// The caller's session key or owner credential is missing or wrong.
        public static let unauthorized = Code(rawValue: "UNAUTHORIZED")
        /// The request came from an origin or host the session is not bound to.
        public static let originNotAllowed = Code(rawValue: "ORIGIN_NOT_ALLOWED")
        /// No such route, session, credential or record.
        public static let notFound = Code(rawValue: "NOT_FOUND")
        /// The HTTP method is not allowed on this route.
        public static let methodNotAllowed = Code(rawValue: "METHOD_NOT_ALLOWED")
        /// A body, frame, header or link is over its size limit.
        public static let payloadTooLarge = Code(rawValue: "PAYLOAD_TOO_LARGE")
        /// A token allowance set by the wallet owner would be exceeded.
        public static let allowanceExceeded = Code(rawValue: "ALLOWANCE_EXCEEDED")
        /// The gift was revoked by its giver.
        public static let giftRevoked = Code(rawValue: "GIFT_REVOKED")
        /// The upstream provider sent no bytes for longer than the idle timeout.
        public static let upstreamTimeout = Code(rawValue: "UPSTREAM_TIMEOUT")
        /// The upstream provider could not be reached.
        public static let upstreamUnreachable = Code(rawValue: "UPSTREAM_UNREACHABLE")
        /// The upstream stream ended before its final event.
        public static let streamTruncated = Code(rawValue: "STREAM_TRUNCATED")
        /// A relay or wallet-API frame is malformed or of an unknown type.
        public static let invalidFrame = Code(rawValue: "INVALID_FRAME")
        /// An operation did not complete in time (e.g. waiting for the owner's approval).
        public static let timeout = Code(rawValue: "TIMEOUT")
        /// The feature is designed but not built yet.
        public static let notImplemented = Code(rawValue: "NOT_IMPLEMENTED")
        /// The caller is over a rate limit of the wallet or relay itself (not the provider's).
        public static let tooManyRequests = Code(rawValue: "TOO_MANY_REQUESTS")

        /// Every code Byoky defines, for tables and tests.
        public static let allKnown: [Code] = [
            .walletNotInstalled, .userRejected, .providerUnavailable, .sessionExpired, .noSession, .rateLimited,
            .quotaExceeded, .invalidKey, .tokenExpired, .proxyError, .relayConnectionFailed, .relayDisconnected,
            .unknown, .giftExpired, .giftBudgetExhausted, .giftSenderOffline, .giftTimeout, .giftAuthFailed,
            .giftRelayError, .invalidURL, .decryptFailed, .internalError, .walletLocked, .bridgeUnavailable,
            .bridgeError, .serviceUnavailable, .noCredential, .translationFailed, .translationNotSupported, .swapFailed,
            .invalidResponse, .noSender, .extensionError, .invalidRequest, .unauthorized, .originNotAllowed,
            .notFound, .methodNotAllowed, .payloadTooLarge, .allowanceExceeded, .giftRevoked, .upstreamTimeout,
            .upstreamUnreachable, .streamTruncated, .invalidFrame, .timeout, .notImplemented, .tooManyRequests,
        ]
    }
}
