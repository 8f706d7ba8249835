import ByokyTesting
import SQLKit
import Synchronization
import Testing

@testable import ByokyStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The audit log's batched writer against a real SQLite file.
@Suite(.timeLimit(.minutes(3))) struct RequestLogWriterTests {
    static func entry(_ index: Int, tokens: Int?) -> RequestLogRecord {
        RequestLogRecord(
            id: "log-\(index)",
            sessionID: index.isMultiple(of: 2) ? "session" : nil,
            appName: "app",
            provider: "anthropic",
            actualProvider: "anthropic",
            model: tokens == nil ? nil : "claude-sonnet-4-6",
            method: "POST",
            path: "/v1/messages",
            status: tokens == nil ? 403 : 200,
            inputTokens: tokens,
            outputTokens: tokens,
            latencyMilliseconds: 1,
            errorCode: tokens == nil ? "PROVIDER_UNAVAILABLE" : nil,
            createdAt: Int64(index)
        )
    }

    @Test func oneBatchMixingPresentAndAbsentValuesIsWrittenWhole() async throws {
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            // Enqueued together, these land in one multi-row insert.
            for index in 0..<40 { store.enqueue(Self.entry(index, tokens: index.isMultiple(of: 3) ? nil : index)) }
            let log = try await store.requestLog(limit: 100)
            #expect(log.count == 40)
            #expect(log.filter { $0.inputTokens == nil }.count == 14)
            #expect(
                try await store.tokensUsed(app: "app", provider: "", since: 0) == 2
                    * (0..<40).filter { !$0.isMultiple(of: 3) }.reduce(0, +)
            )
            try await store.close()
        }
    }

    /// A full batch and one more entry (two batches) both reach the file, every value as given.
    @Test func aFullBatchAndTheNextReachTheFile() async throws {
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            let count = RequestLogWriter.maximumBatch + 1
            let entries = (0..<count).map { Self.entry($0, tokens: $0.isMultiple(of: 5) ? nil : $0) }
            for entry in entries { store.enqueue(entry) }
            let log = try await store.requestLog(limit: count + 10)
            #expect(log.count == count)
            #expect(Set(log) == Set(entries))
            try await store.close()
        }
    }

    /// The connection's best effort: a row SQLite refuses (an id already written) is left out and
    /// the rest of its batch written; a batch whose transaction SQLite rolls back is written row
    /// by row, so only the row that caused it is lost; the insert, prepared once, is prepared
    /// again when the schema changes under it; a closed connection writes nothing.
    @Test func aRefusedRowOrARolledBackBatchLosesOnlyThatRow() async throws {
        try await TemporaryFolder.with { folder in
            let path = folder.path + "/wallet.sqlite"
            let store = try await WalletStore.open(at: path)
            let connection = try LogInsertConnection(path: path)
            connection.write([Self.entry(0, tokens: 1), Self.entry(0, tokens: 3), Self.entry(1, tokens: 2)])
            let firstTokens = try await store.requestLog(limit: 10).compactMap(\.inputTokens)
            #expect(firstTokens.sorted() == [1, 2])
            // A row that rolls back the whole transaction, in the middle of a batch.
            try await store.database.raw(
                """
                CREATE TRIGGER refuse_rollback BEFORE INSERT ON request_log WHEN NEW.app_name = 'rollback'
                BEGIN SELECT RAISE(ROLLBACK, 'refused'); END
                """
            ).run()
            var batch = (2..<6).map { Self.entry($0, tokens: $0) }
            batch[1].appName = "rollback"
            connection.write(batch)
            let written = Set(try await store.requestLog(limit: 10).map(\.id))
            #expect(written == ["log-0", "log-1", "log-2", "log-4", "log-5"])
            connection.close()
            connection.write([Self.entry(9, tokens: 9)])
            #expect(try await store.requestLog(limit: 10).count == 5)
            try await store.close()
        }
    }

    /// A connection that cannot open says so, naming the step and SQLite's reason.
    @Test func aConnectionThatCannotOpenSaysWhy() async throws {
        try await TemporaryFolder.with { folder in
            let failure = #expect(throws: LogInsertConnection.Failure.self) {
                try LogInsertConnection(path: folder.path + "/missing/wallet.sqlite")
            }
            #expect(failure?.description.hasPrefix("The audit log's connection could not open: ") == true)
        }
    }

    /// An entry announced before the answer it records is sent is waited for by readers until it
    /// is queued and written, however late it comes.
    @Test func readersWaitForAnAnnouncedEntry() async throws {
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            let reader = try await Self.readerWaitingForAnAnnouncement(in: store)
            store.enqueue(Self.entry(1, tokens: 7), announced: true) {}
            #expect(try await reader.value == ["log-1", "log-0"])
            // Nothing announced any more: a read returns at once.
            #expect(try await store.requestLog(limit: 10).count == 2)
            try await store.close()
        }
    }
}

extension RequestLogWriterTests {
    /// A reader of `store`'s log, which holds entry `log-0`, waiting for an entry announced after
    /// it (checked: it has not finished 200 ms later); its result is the ids it read.
    static func readerWaitingForAnAnnouncement(in store: WalletStore) async throws -> Task<[String], any Error> {
        store.enqueue(Self.entry(0, tokens: 5))
        store.announceEntry()
        let finished = Mutex(false)
        let reader = Task {
            let log = try await store.requestLog(limit: 10)
            finished.withLock { $0 = true }
            return log.map(\.id)
        }
        try await Task.sleep(for: .milliseconds(200))
        #expect(!finished.withLock { $0 }, "the reader did not wait")
        return reader
    }

    /// An announcement withdrawn (its answer's request ended with no entry to follow) stops
    /// holding readers: one waiting goes on, and later reads return at once.
    @Test func aWithdrawnAnnouncementReleasesItsReaders() async throws {
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            let reader = try await Self.readerWaitingForAnAnnouncement(in: store)
            store.withdrawEntry()
            #expect(try await reader.value == ["log-0"])
            // A withdrawal with nothing announced changes nothing.
            store.withdrawEntry()
            store.announceEntry()
            store.enqueue(Self.entry(1, tokens: 7), announced: true) {}
            #expect(try await store.requestLog(limit: 10).map(\.id) == ["log-1", "log-0"])
            try await store.close()
        }
    }
}

/// A thread that never gets a turn: jobs wait until ``release()``.
final class StarvedExecutor: TaskExecutor, Sendable {
    private let held = Mutex<[UnownedJob]>([])
    private let released = Mutex(false)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let runNow = released.withLock { $0 }
        if runNow {
            job.runSynchronously(on: asUnownedTaskExecutor())
        } else {
            held.withLock { $0.append(job) }
        }
    }

    /// Lets the held jobs (and later ones) run, on the calling thread.
    func release() {
        released.withLock { $0 = true }
        for job in held.withLock({ jobs in
            defer { jobs = [] }
            return jobs
        }) {
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }

    var heldJobs: Int { held.withLock { $0.count } }
}

extension RequestLogWriterTests {
    @Test func aStarvedWriterThreadNeitherLetsTheQueueGrowNorHoldsUpReaders() async throws {
        try await TemporaryFolder.with { folder in
            let starved = StarvedExecutor()
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite", logExecutor: starved)
            // A few entries and no reader: they still reach the file, once overdue.
            for index in 0..<10 { store.enqueue(Self.entry(100_000 + index, tokens: 1)) }
            var early = 0
            for _ in 0..<200 where early < 10 {
                try await Task.sleep(for: .milliseconds(10))
                early = try await store.storedLogEntryCount()
            }
            #expect(early == 10)
            let count = RequestLogWriter.catchUpBacklog + 300
            for index in 0..<count { store.enqueue(Self.entry(index, tokens: 1)) }
            // The idle lane never ran; with no reader waiting, the catch-up lane alone takes the
            // queue down.
            #expect(starved.heldJobs == 1)
            var written = 0
            for _ in 0..<200 where written <= count + 10 - RequestLogWriter.maximumBatch {
                try await Task.sleep(for: .milliseconds(10))
                written = try await store.storedLogEntryCount()
            }
            #expect(written > count + 10 - RequestLogWriter.maximumBatch)
            let log = try await store.requestLog(limit: count + 100)
            #expect(log.count == count + 10)
            #expect(Set(log.map(\.id)).count == count + 10)
            starved.release()
            // Once it runs, the idle lane finds nothing left and stops; later entries go its way.
            store.enqueue(Self.entry(count, tokens: 1))
            #expect(try await store.requestLog(limit: count + 100).count == count + 11)
            try await store.close()
        }
    }
}

extension RequestLogWriterTests {
    /// An entry queued with work to finish it (a whole answer's usage, read off the request's
    /// path) is finished once, on the writer's thread rather than the one that queued it, before
    /// it is stored: a reader, waiting for queued entries, only ever sees it finished.
    @Test func anEntryIsFinishedOnTheWritersThreadBeforeAnyoneReadsIt() async throws {
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            let queuingThreads = Mutex<Set<UInt>>([])
            let finishingThreads = Mutex<[UInt]>([])
            let written = Mutex(0)
            for index in 0..<20 {
                queuingThreads.withLock { _ = $0.insert(Self.currentThread) }
                store.enqueue(
                    Self.entry(index, tokens: nil),
                    announced: false,
                    completing: { entry in
                        finishingThreads.withLock { $0.append(Self.currentThread) }
                        entry.inputTokens = 100 + index
                        entry.outputTokens = 200 + index
                    }
                ) {
                    written.withLock { $0 += 1 }
                }
            }
            let log = try await store.requestLog(limit: 100)
            #expect(log.count == 20)
            #expect(log.allSatisfy { $0.inputTokens.map { $0 >= 100 } == true })
            #expect(Set(log.map { ($0.inputTokens ?? 0) + 100 }) == Set(log.compactMap(\.outputTokens)))
            #expect(finishingThreads.withLock(\.count) == 20, "each entry is finished exactly once")
            #expect(written.withLock { $0 } == 20)
            let finishing = Set(finishingThreads.withLock { $0 })
            #expect(finishing.isDisjoint(with: queuingThreads.withLock { $0 }), "finished where it was queued")
            try await store.close()
        }
    }

    /// The calling thread, as a number.
    static var currentThread: UInt {
        #if canImport(Darwin)
        UInt(bitPattern: pthread_self())
        #else
        UInt(pthread_self())
        #endif
    }
}
