import Foundation
import Synchronization

/// A few long-running Python interop scripts that answer one JSON request per line. Starting
/// Python and importing the official SDKs costs seconds of CPU; paid per request, dozens of
/// parallel test cases kept both cores busy for minutes and starved unrelated tests.
package final class PythonWorkerPool: Sendable {
    typealias Worker = LineWorker

    /// What a caller gets: a running worker, or the right to start one.
    private enum Handout {
        case worker(Worker)
        case start
    }

    private struct State {
        var idle: [Worker] = []
        var started = 0
        var waiting: [CheckedContinuation<Handout, Never>] = []
    }

    private let script: String
    private let size: Int
    private let state = Mutex(State())

    /// A pool of at most `size` copies of `Tests/Interop/<script> --serve`.
    package init(script: String, size: Int = 2) {
        self.script = script
        self.size = size
    }

    /// Sends `request` (one line of JSON) to a free worker and returns its answer line.
    package func call(_ request: String) async throws -> String {
        let worker: Worker
        switch await checkOut() {
        case .worker(let idle):
            worker = idle
        case .start:
            do {
                worker = try startWorker()
            } catch {
                giveBack(nil)
                throw error
            }
        }
        do {
            let answer = try await OffPool.run { try worker.call(request) }
            giveBack(worker)
            return answer
        } catch {
            // A worker that failed mid-call is not reused; its place goes to the next caller.
            worker.terminate()
            giveBack(nil)
            throw error
        }
    }

    /// An idle worker, the right to start one, or (all busy) a place in line; decided under one
    /// lock, so a worker given back meanwhile is never missed.
    private func checkOut() async -> Handout {
        await withCheckedContinuation { continuation in
            let now: Handout? = state.withLock { state in
                if let worker = state.idle.popLast() { return .worker(worker) }
                if state.started < size {
                    state.started += 1
                    return .start
                }
                state.waiting.append(continuation)
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// Hands `worker` to the next in line, or back to the idle list. `nil` gives up a place: the
    /// next in line may start a worker instead.
    private func giveBack(_ worker: Worker?) {
        let (waiter, handout): (CheckedContinuation<Handout, Never>?, Handout?) = state.withLock { state in
            guard !state.waiting.isEmpty else {
                if let worker { state.idle.append(worker) } else { state.started -= 1 }
                return (nil, nil)
            }
            return (state.waiting.removeFirst(), worker.map { .worker($0) } ?? .start)
        }
        if let waiter, let handout { waiter.resume(returning: handout) }
    }

    private func startWorker() throws -> Worker {
        try Worker(
            interpreter: URL(fileURLWithPath: PythonInterop.interpreter),
            arguments: PythonInterop.interpreterArguments + [
                PythonInterop.scriptsFolder.appendingPathComponent(script).path, "--serve",
            ]
        )
    }
}
