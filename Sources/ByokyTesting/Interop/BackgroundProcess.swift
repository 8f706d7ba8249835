package import Foundation
import Synchronization

/// A long-running program under test (a server binary): started, watched and stopped.
package final class BackgroundProcess: Sendable {
    private let process: Process
    private let output = OutputBuffer()

    /// Starts `executable`; its standard output is collected as it arrives.
    package init(_ executable: URL, arguments: [String], environment: [String: String]? = nil) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        self.process = process
        try process.run()
        let output = self.output
        Thread {
            let handle = stdout.fileHandleForReading
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }.start()
    }

    /// Everything printed so far.
    package var printed: String { output.text.withLock { $0 } }

    /// Waits (at most `timeout`) until the output contains `text`, and returns the output.
    package func waitForOutput(containing text: String, timeout: Duration = .seconds(20)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let current = printed
            if current.contains(text) { return current }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "never printed \(text): \(printed)"])
    }

    /// The port in the first `http://host:PORT` the program printed.
    package func announcedPort(timeout: Duration = .seconds(20)) async throws -> Int {
        let text = try await waitForOutput(containing: "http://", timeout: timeout)
        guard let range = text.firstRange(of: "http://") else { throw CocoaError(.formatting) }
        let rest = text[range.upperBound...]
        guard let colon = rest.firstIndex(of: ":") else { throw CocoaError(.formatting) }
        let digits = rest[rest.index(after: colon)...].prefix { $0.isNumber }
        guard let port = Int(digits) else { throw CocoaError(.formatting) }
        return port
    }

    /// The first `scheme://…` address the program printed, whole (up to a space or line end).
    package func announcedURL(scheme: String = "http", timeout: Duration = .seconds(20)) async throws -> String {
        let marker = scheme + "://"
        let text = try await waitForOutput(containing: marker, timeout: timeout)
        guard let range = text.firstRange(of: marker) else { throw CocoaError(.formatting) }
        return String(text[range.lowerBound...].prefix { !$0.isWhitespace })
    }

    /// Kills the program at once (SIGKILL), as a crash or power cut would, and waits for it.
    package func killAbruptly() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Sends SIGTERM and waits (at most `timeout`, then SIGKILL) for the program to exit; returns its status.
    @discardableResult
    package func terminate(timeout: Duration = .seconds(10)) async -> Int32 {
        let process = self.process
        guard process.isRunning else { return process.terminationStatus }
        let pid = process.processIdentifier
        process.terminate()
        let killer = Thread {
            Thread.sleep(forTimeInterval: Double(timeout.components.seconds))
            Foundation.kill(pid, SIGKILL)
        }
        killer.start()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                process.waitUntilExit()
                continuation.resume()
            }.start()
        }
        killer.cancel()
        return process.terminationStatus
    }
}

/// The text a program printed, filled by a reader thread.
private final class OutputBuffer: Sendable {
    let text = Mutex<String>("")
}
