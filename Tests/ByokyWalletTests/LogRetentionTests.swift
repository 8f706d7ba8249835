import ByokyCore
import ByokyTesting
import Testing

@testable import ByokyStore
@testable import ByokyWallet

/// Pruning the audit log keeps usage figures and caps exact: pruned rows live on as per-day
/// totals that every usage query and cap check reads.
@Suite(.timeLimit(.minutes(2)))
struct LogRetentionTests {
    static let day = WalletStore.dayMilliseconds

    /// Rows over 40 days for two apps and three providers, with failures, missing counts and
    /// several rows a day; deterministic.
    static func fill(_ store: WalletStore, now: Int64, rows: Int = 1_200) async throws {
        var generator = SeededGenerator(seed: 42)
        for number in 0..<rows {
            let age = Int64(generator.next() % UInt64(40 * day))
            let status = [200, 200, 200, 429, 500, 200][Int(generator.next() % 6)]
            try await store.insert(
                RequestLogRecord(
                    id: "row-\(number)",
                    sessionID: "s",
                    appName: ["notes", "chat"][number % 2],
                    provider: ["anthropic", "openai", "gemini"][number % 3],
                    actualProvider: "anthropic",
                    model: "m",
                    method: "POST",
                    path: "/v1/messages/" + String(repeating: "p", count: 200),
                    status: status,
                    inputTokens: number % 7 == 0 ? nil : Int(generator.next() % 500),
                    outputTokens: number % 11 == 0 ? nil : Int(generator.next() % 900),
                    latencyMilliseconds: 5,
                    errorCode: status >= 400 ? "X" : nil,
                    createdAt: now - age
                )
            )
        }
    }

    /// Every figure usage and caps read: lifetime, month and day windows, and day boundaries in between.
    static func figures(_ wallet: Wallet, now: Int64) async throws -> [String] {
        var figures: [String] = []
        for period in AllowancePeriod.allCases {
            figures += try await wallet.usage(in: period).map { "\(period) \($0)" }
            figures += try await wallet.usage(in: period, app: "chat").map { "\(period) chat \($0)" }
        }
        let today = AllowancePeriod.day.windowStart(containing: now)
        for daysBack in [0, 1, 5, 10, 20, 30, 39, 45] {
            let since = today - Int64(daysBack) * day
            for app in ["notes", "chat"] {
                for provider in ["", "anthropic", "openai"] {
                    let used = try await wallet.store.tokensUsed(app: app, provider: provider, since: since)
                    figures.append("\(daysBack) \(app) \(provider) \(used)")
                }
            }
        }
        return figures
    }

    @Test func usageAndCapsAreTheSameBeforeAndAfterPruning() async throws {
        let clock = TestClock()
        try await WalletTests.withWallet(clock: clock) { wallet, _ in
            try await Self.fill(wallet.store, now: clock.now)
            let before = try await Self.figures(wallet, now: clock.now)
            #expect(before.count > 50)

            let report = try await wallet.pruneLog(LogPruneRequest(olderThanDays: 10))
            #expect(report.removedRows > 500)
            #expect(report.cutoff % Self.day == 0)
            let kept = try await wallet.store.requestLog(limit: 10_000)
            #expect(kept.allSatisfy { $0.createdAt >= report.cutoff })
            #expect(kept.count == 1_200 - report.removedRows)
            #expect(try await Self.figures(wallet, now: clock.now) == before)

            // A second, deeper prune merges into the same per-day totals.
            let again = try await wallet.pruneLog(LogPruneRequest(olderThanDays: 2))
            #expect(again.removedRows > 0)
            #expect(try await Self.figures(wallet, now: clock.now) == before)
            // Nothing left to prune: nothing changes.
            #expect(try await wallet.pruneLog(LogPruneRequest(olderThanDays: 2)).removedRows == 0)
            #expect(try await Self.figures(wallet, now: clock.now) == before)
        }
    }

    @Test func retentionIsASettingAndPruningCompactsTheFile() async throws {
        let clock = TestClock()
        try await WalletTests.withWallet(clock: clock) { wallet, _ in
            #expect(try await wallet.logRetention().days == WalletStore.defaultLogRetentionDays)
            try await Self.fill(wallet.store, now: clock.now, rows: 12_000)
            #expect(try await wallet.applyLogRetention()?.removedRows == 0, "nothing is 90 days old")
            let report = try #require(try await wallet.setLogRetention(LogRetention(days: 3)))
            #expect(report.removedRows > 9_000)
            #expect(report.vacuumed)
            #expect(try await wallet.logRetention().days == 3)
            #expect(try await wallet.setLogRetention(LogRetention(days: 0)) == nil)
            await #expect(throws: ByokyError.self) { try await wallet.setLogRetention(LogRetention(days: -1)) }
            await #expect(throws: ByokyError.self) { try await wallet.pruneLog(LogPruneRequest(olderThanDays: 0)) }
        }
    }
}
