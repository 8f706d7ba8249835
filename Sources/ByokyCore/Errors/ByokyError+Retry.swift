extension ByokyError.Code {
    /// Whether the same request sent again soon cannot succeed: a cap or a gift's budget is spent
    /// for its period, the wallet stays locked until its owner unlocks it, the provider's answer
    /// cannot be translated (and a retry would pay for it again).
    ///
    /// These travel as 429, 502 or 503, which the official SDKs retry twice with back-off unless
    /// told otherwise: answers with these codes say `x-should-retry: false`
    /// (``ErrorBody/shouldRetryHeaderName``), which the OpenAI and Anthropic SDKs obey, so an app
    /// sees the reason at once instead of after seconds and two more refusals in the log.
    public var retryCannotHelp: Bool {
        switch self {
        case .allowanceExceeded, .giftBudgetExhausted, .quotaExceeded, .walletLocked, .translationFailed,
            .translationNotSupported:
            true
        default:
            false
        }
    }
}
