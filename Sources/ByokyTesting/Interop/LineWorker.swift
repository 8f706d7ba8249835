package import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A long-running helper program (a Python or Node interop script) that answers one line of
/// JSON per request line, on standard input and output.
package final class LineWorker: Sendable {
    let process: Process
    private let input: FileHandle
    private let outputDescriptor: Int32
    private let buffer = Mutex<[UInt8]>([])

    /// Starts `interpreter` with `arguments` (the script and its flags).
    package init(interpreter: URL, arguments: [String]) throws {
        // A worker that died must fail its call, not end the test process on a write to its pipe.
        signal(SIGPIPE, SIG_IGN)
        let process = Process()
        process.executableURL = interpreter
        process.arguments = arguments
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
    package func call(_ request: String) throws -> String {
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

    /// Stops the program.
    package func terminate() {
        if process.isRunning { process.terminate() }
    }
}
