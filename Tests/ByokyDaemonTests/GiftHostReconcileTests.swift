import ByokyCore
import ByokyRelayHost
import ByokyStore
import ByokyTesting
import ByokyWallet
import Testing

/// A gift host's reconciles overlap (the daemon's start and a change the CLI reports), and a
/// lock stops it while one is reading the gifts. Each gift still gets exactly one host, an older
/// read never undoes a newer one, and nothing starts after a stop. Before, the check for a
/// running host and the start were two steps: two reconciles started two hosts for one gift,
/// and the one not kept served on where no stop reached it; a reconcile that read before a lock
/// started hosting after it.
@Suite(.timeLimit(.minutes(1)))
struct GiftHostReconcileTests {
    /// Gifts read from a list that a test changes, each read held until the test lets it go.
    final class HeldSource: GiftSource {
        let gifts = Locked<[GiftRecord]>([])
        /// Reads waiting to be let go, by the order they began.
        let waiting = Locked<[CheckedContinuation<Void, Never>]>([])
        /// Each gift's host asks for its secrets once when it starts (then fails and waits a second).
        let secretsAsked = Locked<[String: Int]>([:])

        var senderPriority: Int { 1 }
        func now() -> Int64 { 1_000_000 }

        func giftsToHost() async -> [GiftRecord]? {
            let read = gifts.withLock { $0 }
            await withCheckedContinuation { continuation in waiting.withLock { $0.append(continuation) } }
            return read
        }

        func hostingSecrets(of gift: GiftRecord) async throws -> GiftHostingSecrets {
            secretsAsked.withLock { $0[gift.id, default: 0] += 1 }
            throw ByokyError(.internalError, "no relay in this test")
        }

        func currentGift(_ id: String) async throws -> GiftRecord {
            throw ByokyError(.notFound, "not here")
        }

        func serve(
            _ request: ProxyRequest,
            gift: GiftRecord,
            onSettled: @escaping @Sendable (Int) -> Void
        ) async -> ProxyResponse {
            fatalError("nothing is served in this test")
        }

        func recordUsage(giftID: String, usedTokens: Int) async {}

        /// Waits (bounded) until `count` reads wait, then lets the one that began `index`-th go.
        func release(_ index: Int, of count: Int) async throws {
            for _ in 0..<500 where waiting.withLock({ $0.count }) < count {
                try await Task.sleep(for: .milliseconds(10))
            }
            try #require(waiting.withLock { $0.count } == count)
            waiting.withLock { $0[index] }.resume()
        }
    }

    static func gift(_ id: String) -> GiftRecord {
        GiftRecord(
            id: id,
            credentialID: "c",
            provider: .anthropic,
            label: id,
            relayURL: "ws://127.0.0.1:9/",
            roomID: "room-\(id)",
            sealedSenderKey: "",
            sealedToken: "",
            sealedPrivateKey: "",
            publicKey: "",
            maxTokens: 1_000,
            expiresAt: 10_000_000,
            createdAt: 0
        )
    }

    /// Waits for `reconcile` to return.
    static func finish(_ reconcile: Task<Void, Never>) async { await reconcile.value }

    @Test func twoOverlappingReconcilesStartOneHostForAGift() async throws {
        let source = HeldSource()
        source.gifts.withLock { $0 = [Self.gift("a")] }
        let host = GiftHost(source: source)
        defer { host.stop() }
        let first = Task { await host.reconcile() }
        let second = Task { await host.reconcile() }
        try await source.release(0, of: 2)
        try await source.release(1, of: 2)
        await Self.finish(first)
        await Self.finish(second)
        #expect(host.hostedGiftIDs == ["a"])
        try await Task.sleep(for: .milliseconds(300))
        // One host asked for the secrets once (a second host would have asked too).
        #expect(source.secretsAsked.withLock { $0 } == ["a": 1])
    }

    @Test func anOlderReadDoesNotUndoANewerOne() async throws {
        let source = HeldSource()
        let host = GiftHost(source: source)
        defer { host.stop() }
        let older = Task { await host.reconcile() }  // reads no gifts
        for _ in 0..<500 where source.waiting.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        source.gifts.withLock { $0 = [Self.gift("new")] }
        let newer = Task { await host.reconcile() }  // reads the new gift
        try await source.release(1, of: 2)
        await Self.finish(newer)
        #expect(host.hostedGiftIDs == ["new"])
        try await source.release(0, of: 2)
        await Self.finish(older)
        #expect(host.hostedGiftIDs == ["new"])
    }

    @Test func aReconcileThatReadBeforeAStopStartsNothing() async throws {
        let source = HeldSource()
        source.gifts.withLock { $0 = [Self.gift("a")] }
        let host = GiftHost(source: source)
        let reading = Task { await host.reconcile() }
        for _ in 0..<500 where source.waiting.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
        host.stop()
        try await source.release(0, of: 1)
        await Self.finish(reading)
        #expect(host.hostedGiftIDs.isEmpty)
        try await Task.sleep(for: .milliseconds(300))
        #expect(source.secretsAsked.withLock { $0 }.isEmpty)
        // A reconcile after the stop (the wallet unlocked again) hosts as usual.
        let again = Task { await host.reconcile() }
        try await source.release(1, of: 2)
        await Self.finish(again)
        #expect(host.hostedGiftIDs == ["a"])
        host.stop()
    }
}
