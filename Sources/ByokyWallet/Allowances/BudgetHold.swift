import ByokyCore
import NIOCore

/// A worst-case hold on a token budget (an app's caps, or a gift's), taken before a request is
/// sent and settled once its answer has ended: the one reserve → send → settle sequence of every
/// path a request takes (own key, received gift, served gift).
struct BudgetHold: Sendable {
    /// The tokens held.
    let amount: Int
    /// The output limit the request must be sent with for the hold to cover it, when the hold
    /// was fitted to what the budget has left (the request named none); `nil` when the request
    /// goes as it is.
    let fittedOutputLimit: Int?
    private let release: @Sendable (_ used: Int) -> Void

    init(amount: Int, fittedOutputLimit: Int? = nil, release: @escaping @Sendable (_ used: Int) -> Void) {
        self.amount = amount
        self.fittedOutputLimit = fittedOutputLimit
        self.release = release
    }

    /// The name of the response header that tells the app the limit its request was sent with,
    /// when the wallet set one (``fittedOutputLimit``).
    static let outputLimitHeaderName = "x-byoky-output-limit"

    /// `body`, to be sent to `provider` (of `family`) at `pathAndQuery`, with the output limit
    /// this hold covers (``OutputLimit``); the body as it is when the hold needs none. A body
    /// the limit cannot be written into gives the hold back and is refused.
    func fitting(
        _ body: ByteBuffer,
        provider: ProviderID,
        family: APIFamily?,
        pathAndQuery: String
    ) throws -> ByteBuffer {
        guard let fittedOutputLimit else { return body }
        let query = pathAndQuery.firstIndex(of: "?")
        let limited = OutputLimit.setting(
            fittedOutputLimit,
            in: body.readableBytesView,
            provider: provider,
            family: family,
            path: pathAndQuery[..<(query ?? pathAndQuery.endIndex)],
            query: query.map { pathAndQuery[pathAndQuery.index(after: $0)...] } ?? ""
        )
        guard let limited else {
            cancel()
            throw ByokyError(
                .invalidRequest,
                "This request's answer would have to be limited to what its token budget has left, and it cannot be: set an output limit (max_tokens)"
            )
        }
        return ByteBuffer(bytes: limited)
    }

    /// Gives the hold back: the request failed before any answer.
    func cancel() { release(0) }

    /// Settles to what the answer used: a failed request costs nothing, and unknown usage counts
    /// as the whole hold (the budget is never overspent).
    func settle(usage: TokenUsage?, status: Int) {
        release(status < 400 ? usage?.totalTokens ?? amount : 0)
    }

    /// The usage to record for an answer with `status` that reported `usage`: the usage, or for
    /// a served request whose usage is unknown (an answer that reports none: speech, a plain-text
    /// transcript), the whole hold it is charged, as input. Recorded, the charge is counted
    /// again whenever caps are read from the log (after a restart, on a shared log) and in the
    /// owner's usage; before, only the running process knew it.
    func recordedUsage(_ usage: TokenUsage?, status: Int) -> TokenUsage? {
        guard usage == nil, status < 400 else { return usage }
        return TokenUsage(inputTokens: amount, outputTokens: 0)
    }

    /// Runs `send` with the hold taken: a failure gives it back, and is rethrown.
    static func sending<Answer>(holding hold: BudgetHold?, _ send: () async throws -> Answer) async throws -> Answer {
        do {
            return try await send()
        } catch {
            hold?.cancel()
            throw error
        }
    }
}
