import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A few long-running Python interop scripts that answer one JSON request per line. Starting
/// Python and importing the official SDKs costs seconds of CPU; paid per request, dozens of
/// parallel test cases kept both cores busy for minutes and starved unrelated tests.
package final class PythonWorkerPool: Sendable {
    /// One running script.
    final class Worker: Sendable {
        let process: Process
        let input: FileHandle
        let outputDescriptor: Int32
        let buffer = Mutex<[UInt8]>([])

        init(script: URL, interpreter: URL, arguments: [String]) throws {
            let process = Process()
            process.executableURL = interpreter
            process.arguments = arguments + [script.path, "--serve"]
            let stdin = Pipe()
            let stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            process.standardError = FileHandle.nullDevice
            try process.run()
            self.process = process
            self.input = stdin.fileHandleForWriting
            self.outputDescriptor = stdout.fileHandleForReading.fileDescriptor
        }

        /// Sends one request line and blocks until the answer line arrives.
        func call(_ request: String) throws -> String {
            try input.write(contentsOf: Data((request + "\n").utf8))
            return try buffer.withLock { pending in
                var chunk = [UInt8](repeating: 0, count: 65_536)
                while true {
                    if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        let line = String(decoding: pending[..<newline], as: UTF8.self)
                        pending.removeSubrange(...newline)
                        return line
                    }
                    let count = chunk.withUnsafeMutableBytes { read(outputDescriptor, $0.baseAddress, $0.count) }
                    guard count > 0 else { throw PythonInterop.Failure(status: -1, standardError: "the worker exited") }
                    pending += chunk[..<count]
                }
            }
        }
    }

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
        // A worker that died must fail its call, not end the test process on a write to its pipe.
        signal(SIGPIPE, SIG_IGN)
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
            worker.process.terminate()
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
            script: PythonInterop.scriptsFolder.appendingPathComponent(script),
            interpreter: URL(fileURLWithPath: PythonInterop.interpreter),
            arguments: PythonInterop.interpreterArguments
        )
    }
}
