import ByokyCore
import ByokyStore
import ByokyTranslate
import NIOCore
import Synchronization

/// Enforces the owner's token caps with reserve-then-settle.
///
/// Before a request goes upstream its worst case (estimated input plus the most output it asked
/// for) is reserved against every cap that applies, under one lock; when its body has ended the
/// reservation is replaced by the real usage. A request that would push any cap past its limit is
/// refused, so concurrent requests can never overshoot a cap together.
///
/// Usage already recorded is read from the audit log once per cap and period, then kept up to
/// date in memory, so the check itself never waits on the database. Requests that find a period's
/// usage not read yet (all of an app's requests at once, when a day or a month begins) wait for
/// one read of it, not one each.
final class AllowanceGate: Sendable {
    fileprivate struct Window: Hashable {
        let app: String
        let provider: String
        let period: AllowancePeriod
        let start: Int64
    }

    /// A reserved amount, to be settled exactly once.
    struct Reservation: Sendable {
        fileprivate let id: Int
        fileprivate let windows: [Window]
        let amount: Int
        /// The output limit the request must be sent with, when its hold was fitted to the caps
        /// (``TokenEstimate/fitted(within:)``).
        var fittedOutputLimit: Int? = nil
    }

    private struct State {
        var consumed: [Window: Int] = [:]
        var reserved: [Int: (windows: [Window], amount: Int)] = [:]
        var nextID = 0
        /// The reads of a window's usage under way.
        var reading: [Window: Task<Void, any Error>] = [:]
    }

    private let state = Mutex(State())
    private let rereadsUsage: Bool

    /// - Parameter rereadsUsage: read the usage from the log on every reservation (the log is
    ///   shared with other processes that settle there), not once per period.
    init(rereadsUsage: Bool = false) {
        self.rereadsUsage = rereadsUsage
    }

    /// Reserves `estimate` for `app` calling `provider` against `caps` (those that count it:
    /// ``caps(_:counting:)``), fitted to what the tightest cap has left when it does not fit whole
    /// (``TokenEstimate/fitted(within:)``), or throws `ALLOWANCE_EXCEEDED`, its message ending
    /// with the estimate's explanation. The estimate is worked out only when a cap applies.
    ///
    /// - Returns: `nil` when no cap applies (nothing to settle).
    func reserve(
        app: String,
        provider: ProviderID,
        estimate estimateRequest: @autoclosure () -> TokenEstimate,
        caps: [AllowanceRecord],
        store: any ProxyRecords,
        now: Int64
    ) async throws -> Reservation? {
        guard !caps.isEmpty else { return nil }
        let estimate = estimateRequest()
        var windows: [(Window, limit: Int)] = []
        for cap in caps {
            let period = cap.period
            let window = Window(
                app: app,
                provider: cap.provider,
                period: period,
                start: period.windowStart(containing: now)
            )
            if rereadsUsage {
                let used = try await store.tokensUsed(app: app, provider: cap.provider, since: window.start)
                state.withLock { $0.consumed[window] = used }
            } else {
                try await readUsageOnce(of: window, from: store)
            }
            windows.append((window, cap.tokenLimit))
        }
        return try state.withLock { state in
            // What each cap has left; the tightest decides.
            var tightest: (window: Window, limit: Int, taken: Int, used: Int)?
            for (window, limit) in windows {
                let used = state.consumed[window] ?? 0
                let reserved = state.reserved.values.filter { $0.windows.contains(window) }.reduce(0) { $0 + $1.amount }
                if tightest.map({ limit - used - reserved < $0.limit - $0.taken }) ?? true {
                    tightest = (window, limit, used + reserved, used)
                }
            }
            var held = estimate
            if let tightest {
                guard let fitted = estimate.fitted(within: tightest.limit - tightest.taken) else {
                    let window = tightest.window
                    let scope = window.provider.isEmpty ? "all providers" : window.provider
                    let per = window.period == .lifetime ? "in total" : "per \(window.period.rawValue)"
                    throw ByokyError(
                        .allowanceExceeded,
                        "Token allowance for \(app) (\(scope), \(per)) would be exceeded: \(tightest.taken) of \(tightest.limit) tokens used or reserved, this request may need \(estimate.tokens)\(estimate.refusalExplanation)",
                        details: ["limit": String(tightest.limit), "used": String(tightest.used)]
                    )
                }
                held = fitted
            }
            let id = state.nextID
            state.nextID += 1
            let covered = windows.map(\.0)
            state.reserved[id] = (covered, held.tokens)
            return Reservation(
                id: id,
                windows: covered,
                amount: held.tokens,
                fittedOutputLimit: held.fittedOutputLimit
            )
        }
    }

    /// Reads `window`'s usage from `store` unless it was read already; a read under way is
    /// waited for. The read runs in a task of its own: a caller that is cancelled fails no one
    /// else waiting for it, and a read that fails is tried again by the next request.
    private func readUsageOnce(of window: Window, from store: any ProxyRecords) async throws {
        let reading = state.withLock { state -> Task<Void, any Error>? in
            guard state.consumed[window] == nil else { return nil }
            if let running = state.reading[window] { return running }
            let read = Task {
                do {
                    let used = try await store.tokensUsed(
                        app: window.app,
                        provider: window.provider,
                        since: window.start
                    )
                    self.state.withLock { state in
                        if state.consumed[window] == nil { state.consumed[window] = used }
                        state.reading[window] = nil
                    }
                } catch {
                    self.state.withLock { $0.reading[window] = nil }
                    throw error
                }
            }
            state.reading[window] = read
            return read
        }
        try await reading?.value
    }

    /// Those of an app's `caps` that count requests to `provider` (a cap without a provider counts
    /// them all). Usually none: then there is nothing to reserve.
    static func caps(_ caps: [AllowanceRecord], counting provider: ProviderID) -> [AllowanceRecord] {
        caps.filter { $0.provider.isEmpty || $0.provider == provider.rawValue }
    }

    /// ``reserve(app:provider:estimate:caps:store:now:)`` as a hold that settles itself; `nil`
    /// when no cap applies.
    func hold(
        app: String,
        provider: ProviderID,
        estimate: @autoclosure () -> TokenEstimate,
        caps: [AllowanceRecord],
        store: any ProxyRecords,
        now: Int64
    ) async throws -> BudgetHold? {
        guard !caps.isEmpty else { return nil }
        guard
            let reservation = try await reserve(
                app: app,
                provider: provider,
                estimate: estimate(),
                caps: caps,
                store: store,
                now: now
            )
        else { return nil }
        return BudgetHold(amount: reservation.amount, fittedOutputLimit: reservation.fittedOutputLimit) {
            [self] used in settle(reservation, tokens: used)
        }
    }

    /// Replaces a reservation with what the request really used.
    func settle(_ reservation: Reservation, tokens: Int) {
        state.withLock { state in
            guard state.reserved.removeValue(forKey: reservation.id) != nil else { return }
            for window in reservation.windows { state.consumed[window, default: 0] += tokens }
        }
    }
}
