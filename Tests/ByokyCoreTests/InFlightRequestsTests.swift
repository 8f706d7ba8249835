import ByokyCore
import ByokyTesting
import Testing

/// The relayed requests a wallet serves for a pairing or a gift, and an app's backend relay
/// serves, are kept by request id while they run, so a cancel frame can stop one. A request that
/// ends leaves the book, however fast it ends: before, one that ended before its task was filed
/// (a refusal answered at once) was filed after its own removal and stayed in the book for as long
/// as the connection lasted (3 of 10 runs of the first test failed beside three CPU hogs).
struct InFlightRequestsTests {
    /// Waits (bounded) until `requests` holds none; how many are left.
    static func left(in requests: InFlightRequests) async throws -> Int {
        for _ in 0..<500 where requests.count > 0 { try await Task.sleep(for: .milliseconds(10)) }
        return requests.count
    }

    @Test func requestsThatEndAtOnceLeaveTheBook() async throws {
        let requests = InFlightRequests()
        let served = Locked(0)
        for index in 0..<5_000 {
            requests.start("request-\(index)") { served.withLock { $0 += 1 } }
        }
        #expect(try await Self.left(in: requests) == 0)
        #expect(served.withLock { $0 } == 5_000)
    }

    @Test func aCancelStopsTheRequestAndALaterRequestWithTheSameIDIsKept() async throws {
        let requests = InFlightRequests()
        let cancelled = Locked(false)
        requests.start("slow") {
            do { try await Task.sleep(for: .seconds(60)) } catch { cancelled.withLock { $0 = true } }
        }
        #expect(requests.count == 1)
        requests.remove("slow")?.cancel()
        for _ in 0..<500 where !cancelled.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(cancelled.withLock { $0 })
        // The cancelled task ending does not take a newer request filed under the same id.
        let release = Locked(false)
        requests.start("slow") {
            for _ in 0..<1_000 where !release.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(requests.count == 1)
        release.withLock { $0 = true }
        #expect(try await Self.left(in: requests) == 0)
    }
}
