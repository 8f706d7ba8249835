import ByokyCore

/// A worst-case hold on a token budget (an app's caps, or a gift's), taken before a request is
/// sent and settled once its answer has ended: the one reserve → send → settle sequence of every
/// path a request takes (own key, received gift, served gift).
struct BudgetHold: Sendable {
    /// The tokens held.
    let amount: Int
    private let release: @Sendable (_ used: Int) -> Void

    init(amount: Int, release: @escaping @Sendable (_ used: Int) -> Void) {
        self.amount = amount
        self.release = release
    }

    /// Gives the hold back: the request failed before any answer.
    func cancel() { release(0) }

    /// Settles to what the answer used: a failed request costs nothing, and unknown usage counts
    /// as the whole hold (the budget is never overspent).
    func settle(usage: TokenUsage?, status: Int) {
        release(status < 400 ? usage?.totalTokens ?? amount : 0)
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
