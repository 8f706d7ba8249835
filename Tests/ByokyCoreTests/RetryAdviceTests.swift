import ByokyCore
import Testing

/// Which error answers tell a client not to send the request again, and which leave it to the
/// client's own rule (a provider out of reach, a timeout: a retry may well succeed).
struct RetryAdviceTests {
    @Test(arguments: [
        (ByokyError.Code.allowanceExceeded, true), (.giftBudgetExhausted, true), (.quotaExceeded, true),
        (.walletLocked, true), (.translationFailed, true), (.translationNotSupported, true),
        (.upstreamUnreachable, false), (.upstreamTimeout, false), (.internalError, false), (.rateLimited, false),
        (.giftSenderOffline, false), (.unauthorized, false),
    ])
    func anErrorSaysWhetherARetryCanHelp(code: ByokyError.Code, final: Bool) {
        #expect(code.retryCannotHelp == final)
        let headers = ErrorBody.headers(for: ByokyError(code, "refused"))
        let advice = headers.filter { $0.name == ErrorBody.shouldRetryHeaderName }.map(\.value)
        #expect(advice == (final ? ["false"] : []), "\(code)")
        #expect(headers.contains { $0 == (ErrorBody.codeHeaderName, code.rawValue) })
        #expect(headers.contains { $0 == ("content-type", "application/json") })
    }

    @Test func aNamedWaitTravelsAsRetryAfter() {
        let error = ByokyError(.tooManyRequests, "Too many wrong passwords", details: ["retryAfter": "60"])
        #expect(ErrorBody.headers(for: error).contains { $0 == ("retry-after", "60") })
        #expect(!ErrorBody.headers(for: ByokyError(.rateLimited, "slow")).contains { $0.name == "retry-after" })
    }
}
