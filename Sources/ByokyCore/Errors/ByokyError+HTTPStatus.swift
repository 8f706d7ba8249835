extension ByokyError.Code {
    /// The HTTP status this code travels with. Unknown codes map to 500.
    public var httpStatus: Int {
        Self.statusTable[self] ?? 500
    }

    private static let statusTable: [ByokyError.Code: Int] = [
        .invalidRequest: 400, .invalidURL: 400, .translationNotSupported: 400, .invalidFrame: 400,
        .unauthorized: 401, .noSession: 401, .sessionExpired: 401, .invalidKey: 401, .tokenExpired: 401,
        .userRejected: 403, .providerUnavailable: 403, .noCredential: 403, .originNotAllowed: 403,
        .giftAuthFailed: 403,
        .notFound: 404,
        .methodNotAllowed: 405,
        .timeout: 408,
        .giftExpired: 410, .giftRevoked: 410,
        .payloadTooLarge: 413,
        .rateLimited: 429, .quotaExceeded: 429, .giftBudgetExhausted: 429, .allowanceExceeded: 429,
        .tooManyRequests: 429,
        .unknown: 500, .internalError: 500, .decryptFailed: 500, .extensionError: 500,
        .notImplemented: 501,
        .proxyError: 502, .translationFailed: 502, .swapFailed: 502, .invalidResponse: 502, .bridgeError: 502,
        .relayConnectionFailed: 502, .giftRelayError: 502, .upstreamUnreachable: 502, .streamTruncated: 502,
        .walletNotInstalled: 503, .walletLocked: 503, .bridgeUnavailable: 503, .serviceUnavailable: 503,
        .relayDisconnected: 503,
        .noSender: 503, .giftSenderOffline: 503,
        .upstreamTimeout: 504, .giftTimeout: 504,
    ]
}
