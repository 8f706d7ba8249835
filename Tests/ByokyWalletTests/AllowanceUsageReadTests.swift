import ByokyCore
import ByokyStore
import Synchronization
import Testing

@testable import ByokyWallet

/// A cap's usage in a period is read from the log once, however many requests find it unread at
/// the same time (all of an app's requests, when a day or a month begins).
struct AllowanceUsageReadTests {
    static let callers = 40
    static let dayCap = AllowanceRecord(appName: "Chat", provider: "", period: .day, tokenLimit: 1_000)
    static let monthCap = AllowanceRecord(appName: "Chat", provider: "openai", period: .month, tokenLimit: 1_000)

    /// `callers` reservations of `estimate` tokens each at once, against `caps`; how many were
    /// refused with `ALLOWANCE_EXCEEDED` (any other failure is thrown).
    static func reserveAtOnce(
        _ gate: AllowanceGate,
        log: CountingUsageLog,
        caps: [AllowanceRecord] = [dayCap],
        estimate: Int = 10
    ) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<callers {
                group.addTask {
                    log.arrived.increment()
                    do {
                        _ = try await gate.reserve(
                            app: "Chat",
                            provider: .openai,
                            estimate: TokenEstimate(tokens: estimate),
                            caps: caps,
                            store: log,
                            now: 1_000_000
                        )
                        return false
                    } catch let error as ByokyError where error.code == .allowanceExceeded {
                        return true
                    }
                }
            }
            return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
    }

    @Test func aPeriodsUsageIsReadOnceForRequestsThatComeAtOnce() async throws {
        let log = CountingUsageLog(used: 700, waitingFor: Self.callers)
        let gate = AllowanceGate()
        // 700 used: room for 30 of the 40 reservations of 10.
        let refused = try await Self.reserveAtOnce(gate, log: log)
        #expect(log.reads.count == 1)
        #expect(refused == 10)
    }

    @Test func eachCapsWindowIsReadOnce() async throws {
        let log = CountingUsageLog(used: 0, waitingFor: Self.callers)
        let gate = AllowanceGate()
        let refused = try await Self.reserveAtOnce(gate, log: log, caps: [Self.dayCap, Self.monthCap], estimate: 1)
        #expect(refused == 0)
        #expect(log.reads.count == 2)
    }

    @Test func aFailedReadFailsItsWaitersAndIsTriedAgain() async throws {
        let log = CountingUsageLog(used: 0, waitingFor: Self.callers, failing: true)
        let gate = AllowanceGate()
        await #expect(throws: ByokyError.self) { _ = try await Self.reserveAtOnce(gate, log: log) }
        #expect(log.reads.count == 1)
        log.failing.withLock { $0 = false }
        let reservation = try await gate.reserve(
            app: "Chat",
            provider: .openai,
            estimate: TokenEstimate(tokens: 10),
            caps: [Self.dayCap],
            store: log,
            now: 1_000_000
        )
        #expect(reservation?.amount == 10)
        #expect(log.reads.count == 2)
    }

    /// A gate over a log other processes write too reads it for every reservation.
    @Test func aSharedLogIsReadForEveryReservation() async throws {
        let log = CountingUsageLog(used: 0, waitingFor: 1)
        let gate = AllowanceGate(rereadsUsage: true)
        _ = try await Self.reserveAtOnce(gate, log: log, estimate: 1)
        #expect(log.reads.count == Self.callers)
    }
}

/// An audit log that answers usage reads with `used` tokens, each read waiting until
/// `waitingFor` callers have arrived (then a little longer), counting its reads.
final class CountingUsageLog: ProxyRecords {
    let used: Int
    let waitingFor: Int
    let reads = LoadCounter()
    let arrived = LoadCounter()
    let failing: Mutex<Bool>

    init(used: Int, waitingFor: Int, failing: Bool = false) {
        self.used = used
        self.waitingFor = waitingFor
        self.failing = Mutex(failing)
    }

    func tokensUsed(app: String, provider: String, since: Int64) async throws -> Int {
        reads.increment()
        try await waitUntil { self.arrived.count >= self.waitingFor }
        try await Task.sleep(for: .milliseconds(20))
        if failing.withLock({ $0 }) { throw ByokyError(.internalError, "the log could not be read") }
        return used
    }

    func enqueue(_ entry: RequestLogRecord, onWritten: @escaping @Sendable () -> Void) { onWritten() }

    func touchCredential(id: String, at time: Int64) async throws {}
}
