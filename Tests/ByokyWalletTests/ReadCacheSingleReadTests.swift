import ByokyCore
import ByokyStore
import Synchronization
import Testing

@testable import ByokyWallet

/// A record that many requests find missing or expired at once is read once: the others wait for
/// that read (a busy wallet's connections all find an entry expired in the same instant).
struct ReadCacheSingleReadTests {
    static let callers = 50

    /// `callers` look-ups of the credentials at once, whose load waits until all of them have
    /// started; their answers.
    static func credentialsAtOnce(
        _ cache: ReadCache,
        loads: LoadCounter,
        value: [CredentialRecord] = [RouteResolverTests.key("k1", "openai")]
    ) async throws -> [[CredentialRecord]] {
        let arrived = LoadCounter()
        let load: @Sendable () async throws -> [CredentialRecord] = {
            loads.increment()
            try await waitUntil { arrived.count == callers }
            // The callers that arrived last are past their look-up by now.
            try await Task.sleep(for: .milliseconds(20))
            return value
        }
        return try await withThrowingTaskGroup(of: [CredentialRecord].self) { group in
            for _ in 0..<callers {
                group.addTask {
                    arrived.increment()
                    return try await cache.credentials(load: load)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func aRecordMissingForManyAtOnceIsReadOnce() async throws {
        let cache = ReadCache(lifetime: .seconds(1), now: ManualClock().now)
        let loads = LoadCounter()
        let answers = try await Self.credentialsAtOnce(cache, loads: loads)
        #expect(loads.count == 1)
        #expect(answers.count == Self.callers)
        #expect(answers.allSatisfy { $0.map(\.id) == ["k1"] })
    }

    @Test func aRecordExpiredForManyAtOnceIsReadOnce() async throws {
        let clock = ManualClock()
        let cache = ReadCache(lifetime: .seconds(1), now: clock.now)
        let loads = LoadCounter()
        _ = try await cache.credentials {
            loads.increment()
            return []
        }
        clock.advance(by: .milliseconds(1_100))
        let answers = try await Self.credentialsAtOnce(cache, loads: loads)
        #expect(loads.count == 2)
        #expect(answers.allSatisfy { $0.map(\.id) == ["k1"] })
        // Kept: the next look-up reads nothing.
        #expect(
            try await cache.credentials {
                loads.increment()
                return []
            }.map(\.id) == ["k1"]
        )
        #expect(loads.count == 2)
    }

    @Test func sessionsOfOtherKeysAreReadEachOnItsOwn() async throws {
        let cache = ReadCache(lifetime: .seconds(1), now: ManualClock().now)
        let loads = LoadCounter()
        let answers = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<Self.callers {
                let hash = "h\(index % 5)"
                group.addTask {
                    try await cache.session(keyHash: hash) {
                        loads.increment()
                        try await Task.sleep(for: .milliseconds(20))
                        return ReadCachePlanningRecordsTests.session.with(keyHash: hash)
                    }?.keyHash
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        // One read a key at most (a caller that came after its read ended found it cached).
        #expect(loads.count == 5)
        #expect(answers.compactMap { $0 }.sorted() == (0..<Self.callers).map { "h\($0 % 5)" }.sorted())
    }

    @Test func aFailedReadFailsItsWaitersAndIsTriedAgain() async throws {
        let cache = ReadCache(lifetime: .seconds(1), now: ManualClock().now)
        let loads = LoadCounter()
        let arrived = LoadCounter()
        let failing: @Sendable () async throws -> [CredentialRecord] = {
            loads.increment()
            try await waitUntil { arrived.count == Self.callers }
            try await Task.sleep(for: .milliseconds(20))
            throw ByokyError(.internalError, "the store failed")
        }
        let failures = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<Self.callers {
                group.addTask {
                    arrived.increment()
                    do {
                        _ = try await cache.credentials(load: failing)
                        return false
                    } catch {
                        return (error as? ByokyError)?.code == .internalError
                    }
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(failures == Self.callers)
        #expect(loads.count == 1)
        #expect(
            try await cache.credentials {
                loads.increment()
                return []
            }.isEmpty
        )
        #expect(loads.count == 2)
    }

    /// A read started before the cache was invalidated is not waited for after it, and what it
    /// read is not kept; the read started after it is.
    @Test func aReadStartedBeforeAnInvalidationIsNotJoinedAfterIt() async throws {
        let cache = ReadCache(lifetime: .seconds(1), now: ManualClock().now)
        let started = LoadCounter()
        let released = Mutex(false)
        let older = Task.detached {
            try await cache.credentials {
                started.increment()
                try await waitUntil { released.withLock { $0 } }
                return [RouteResolverTests.key("old", "openai")]
            }
        }
        try await waitUntil { started.count == 1 }
        cache.invalidate()
        let newer = try await cache.credentials { [RouteResolverTests.key("new", "openai")] }
        #expect(newer.map(\.id) == ["new"])
        released.withLock { $0 = true }
        #expect(try await older.value.map(\.id) == ["old"])
        #expect(try await cache.credentials { [] }.map(\.id) == ["new"])
    }

    /// The caller that started a read being cancelled does not fail the others waiting for it.
    @Test func aCancelledCallerDoesNotFailTheReadOthersWaitFor() async throws {
        let cache = ReadCache(lifetime: .seconds(1), now: ManualClock().now)
        let loads = LoadCounter()
        let released = Mutex(false)
        let load: @Sendable () async throws -> [CredentialRecord] = {
            loads.increment()
            try await waitUntil { released.withLock { $0 } }
            return [RouteResolverTests.key("k1", "openai")]
        }
        let first = Task.detached { try await cache.credentials(load: load) }
        try await waitUntil { loads.count == 1 }
        let second = Task.detached { try await cache.credentials(load: load) }
        first.cancel()
        released.withLock { $0 = true }
        #expect(try await second.value.map(\.id) == ["k1"])
        #expect(loads.count == 1)
    }
}

/// Waits, in steps of a millisecond and for at most a minute (a test process running every
/// target at once can keep a task waiting for seconds), until `condition` holds.
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(60)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut() }
        try await Task.sleep(for: .milliseconds(1))
    }
}

struct WaitTimedOut: Error {}

extension SessionRecord {
    /// The same session under another key hash.
    func with(keyHash: String) -> SessionRecord {
        var copy = self
        copy.keyHash = keyHash
        return copy
    }
}
