package import Foundation

/// Runs a program to completion, feeding standard input and collecting its output.
package enum ProcessRunner {
    /// What a finished program left behind.
    package struct Output: Sendable {
        package let status: Int32
        package let stdout: String
        package let stderr: String
    }

    /// Runs the program on its own thread, so waiting for it never blocks Swift's cooperative pool
    /// (which in-process servers under test need to answer the program).
    /// Runs `commandLine` in bash when it starts daemons (servers that outlive it): they must
    /// inherit nothing of this process, since Foundation learns that a child ended when every copy
    /// of a descriptor it gave the child is closed. So bash closes every descriptor above 2 first,
    /// and the command's own output goes where `commandLine` sends it (a file, `/dev/null`).
    package static func runStartingDaemons(_ commandLine: String) async throws -> Output {
        let line =
            #"for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done; "#
            + commandLine
        return try await run(URL(fileURLWithPath: "/bin/bash"), arguments: ["-c", line])
    }

    package static func run(
        _ executable: URL,
        arguments: [String],
        input: String? = nil,
        environment: [String: String]? = nil
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(
                    with: Result {
                        try runBlocking(executable, arguments: arguments, input: input, environment: environment)
                    }
                )
            }
            thread.start()
        }
    }

    /// Runs `executable` with `arguments`, blocking the calling thread; `input` (if any) is written
    /// to standard input, which is then closed.
    package static func runBlocking(
        _ executable: URL,
        arguments: [String],
        input: String? = nil,
        environment: [String: String]? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        // Drain stderr on another thread so a chatty program cannot block on a full pipe.
        let errors = DataSlot()
        let drain = Thread { errors.set(stderr.fileHandleForReading.readDataToEndOfFile()) }
        drain.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorOutput = errors.wait()
        return Output(
            status: process.terminationStatus,
            stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: errorOutput, as: UTF8.self)
        )
    }
}

/// A one-shot box that a reader thread fills and the caller waits for.
private final class DataSlot: @unchecked Sendable {
    // Guarded by `condition`.
    private var data: Data?
    private let condition = NSCondition()

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data ?? Data()
    }
}
