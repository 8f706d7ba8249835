import Synchronization
import Testing

@testable import ByokyProxyHTTP

/// A connection's answer task: its jobs run one at a time, in the order given, and it ends with
/// the connection, after the jobs given before.
@Suite(.timeLimit(.minutes(1))) struct AnswerWorkerTests {
    /// Waits (at most five seconds) until `condition` holds.
    static func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func jobsRunOneAtATimeInOrderAndTheTaskEndsWithTheConnection() async throws {
        let worker = AnswerWorker()
        let log = Mutex<[String]>([])
        #expect(!worker.isRunning)
        for index in 0..<5 {
            worker.run {
                log.withLock { $0.append("start \(index)") }
                // A job that waits does not let the next one start.
                try? await Task.sleep(for: .milliseconds(5))
                log.withLock { $0.append("end \(index)") }
            }
        }
        #expect(worker.isRunning)
        #expect(try await Self.eventually { log.withLock { $0.count } == 10 })
        #expect(log.withLock { $0 } == (0..<5).flatMap { ["start \($0)", "end \($0)"] })
        // Between answers the task waits; a later job is taken from there.
        worker.run { log.withLock { $0.append("later") } }
        #expect(try await Self.eventually { log.withLock { $0.last } == "later" })
        #expect(worker.isRunning)
        worker.finish()
        #expect(try await Self.eventually { !worker.isRunning })
    }

    /// Jobs given before the connection ended, or after (a request read as it closed), still run,
    /// and the task still ends.
    @Test func jobsGivenAroundTheEndStillRun() async throws {
        let worker = AnswerWorker()
        let ran = Atomic(0)
        worker.run {
            try? await Task.sleep(for: .milliseconds(20))
            ran.add(1, ordering: .relaxed)
        }
        worker.run { ran.add(1, ordering: .relaxed) }
        worker.finish()
        worker.run { ran.add(1, ordering: .relaxed) }
        #expect(try await Self.eventually { ran.load(ordering: .relaxed) == 3 && !worker.isRunning })
        let unstarted = AnswerWorker()
        unstarted.finish()
        unstarted.run { ran.add(1, ordering: .relaxed) }
        #expect(try await Self.eventually { ran.load(ordering: .relaxed) == 4 && !unstarted.isRunning })
    }
}
