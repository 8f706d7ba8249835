import ByokyTesting
import Synchronization
import Testing

@testable import ByokyStore

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

    /// A batch's insert is cut from the full batch's: for every size it holds exactly that many
    /// rows of placeholders, and a full batch and a batch of one both reach the file.
    @Test func everyBatchSizeHasItsOwnRowCount() async throws {
        for rows in [1, 2, 3, 250, RequestLogWriter.maximumBatch - 1, RequestLogWriter.maximumBatch] {
            let statement = RequestLogWriter.insertStatement(rows: rows)
            #expect(statement.hasPrefix("INSERT INTO request_log (id, session_id,"))
            #expect(statement.hasSuffix("?,?)"))
            #expect(statement.split(separator: "(").count - 2 == rows)
            #expect(statement.filter { $0 == "?" }.count == rows * 14)
        }
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            let count = RequestLogWriter.maximumBatch + 1
            for index in 0..<count { store.enqueue(Self.entry(index, tokens: index)) }
            let log = try await store.requestLog(limit: count + 10)
            #expect(log.count == count)
            #expect(Set(log.map(\.id)).count == count)
            try await store.close()
        }
    }

    /// An entry announced before the answer it records is sent is waited for by readers until it
    /// is queued and written, however late it comes.
    @Test func readersWaitForAnAnnouncedEntry() async throws {
        try await TemporaryFolder.with { folder in
            let store = try await WalletStore.open(at: folder.path + "/wallet.sqlite")
            store.enqueue(Self.entry(0, tokens: 5))
            store.announceEntry()
            let finished = Mutex(false)
            let reader = Task {
                let log = try await store.requestLog(limit: 10)
                finished.withLock { $0 = true }
                return log.map(\.id)
            }
            try await Task.sleep(for: .milliseconds(200))
            let finishedEarly = finished.withLock { $0 }
            #expect(!finishedEarly, "the reader did not wait")
            store.enqueue(Self.entry(1, tokens: 7), announced: true) {}
            #expect(try await reader.value == ["log-1", "log-0"])
            // Nothing announced any more: a read returns at once.
            #expect(try await store.requestLog(limit: 10).count == 2)
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
