import ByokyCore
import ByokyStore
import Synchronization

/// Keeps the giver's count of each gift's budget with reserve-then-settle, so concurrent requests
/// through one gift can never spend more than it holds together.
///
/// A request reserves its worst case (estimated input plus the most output it allows itself)
/// before it goes upstream; when its body has ended the reservation is replaced by the real usage.
final class GiftLedger: Sendable {
    /// A reserved amount, settled exactly once.
    struct Reservation: Sendable {
        fileprivate let id: Int
        let giftID: String
        let amount: Int
        /// The output limit the request must be sent with, when its hold was fitted to what the
        /// gift has left (``TokenEstimate/fitted(within:)``).
        var fittedOutputLimit: Int? = nil
    }

    private struct Account {
        var used: Int
        var reserved: [Int: Int] = [:]
    }

    private struct State {
        var accounts: [String: Account] = [:]
        var nextID = 0
    }

    private let state = Mutex(State())

    /// Reserves `estimate` of `gift`, fitted to what the gift has left when it does not fit whole
    /// (``TokenEstimate/fitted(within:)``), or throws `GIFT_BUDGET_EXHAUSTED` (a refusal for want
    /// of room ends with the estimate's explanation).
    func reserve(_ gift: GiftRecord, estimate: TokenEstimate) throws -> Reservation {
        try state.withLock { state in
            var account = state.accounts[gift.id] ?? Account(used: gift.usedTokens)
            account.used = max(account.used, gift.usedTokens)
            let reserved = account.reserved.values.reduce(0, +)
            let left = max(0, gift.maxTokens - account.used - reserved)
            guard account.used < gift.maxTokens else {
                throw ByokyError(
                    .giftBudgetExhausted,
                    "This gift's budget of \(gift.maxTokens) tokens is used up",
                    details: ["limit": String(gift.maxTokens), "used": String(account.used)]
                )
            }
            guard let held = estimate.fitted(within: left) else {
                throw ByokyError(
                    .giftBudgetExhausted,
                    "This request may use up to \(estimate.tokens) tokens but the gift has \(left) left; ask for fewer output tokens (max_tokens)\(estimate.refusalExplanation)",
                    details: ["limit": String(gift.maxTokens), "used": String(account.used)]
                )
            }
            let id = state.nextID
            state.nextID += 1
            account.reserved[id] = held.tokens
            state.accounts[gift.id] = account
            return Reservation(
                id: id,
                giftID: gift.id,
                amount: held.tokens,
                fittedOutputLimit: held.fittedOutputLimit
            )
        }
    }

    /// ``reserve(_:estimate:)`` as a hold that settles itself; `onSettled` hears the gift's new
    /// total of used tokens.
    func hold(
        _ gift: GiftRecord,
        estimate: TokenEstimate,
        onSettled: @escaping @Sendable (Int) -> Void
    ) throws -> BudgetHold {
        let reservation = try reserve(gift, estimate: estimate)
        return BudgetHold(amount: reservation.amount, fittedOutputLimit: reservation.fittedOutputLimit) {
            [self] used in
            onSettled(settle(reservation, tokens: used, maximum: gift.maxTokens))
        }
    }

    /// Replaces a reservation with what the request used; returns the gift's new total.
    @discardableResult
    func settle(_ reservation: Reservation, tokens: Int, maximum: Int) -> Int {
        state.withLock { state in
            guard var account = state.accounts[reservation.giftID],
                account.reserved.removeValue(forKey: reservation.id) != nil
            else { return state.accounts[reservation.giftID]?.used ?? 0 }
            account.used = min(maximum, account.used + max(0, tokens))
            state.accounts[reservation.giftID] = account
            return account.used
        }
    }

    /// Tokens used so far (as this ledger knows them).
    func used(_ giftID: String) -> Int? {
        state.withLock { $0.accounts[giftID]?.used }
    }
}
