import Foundation

/// Runs a system tool (`systemctl`, `launchctl`) found on `PATH`, for `byoky service`.
enum SystemCommand {
    struct Outcome {
        let status: Int32
        /// Standard output and error together, trimmed.
        let output: String
        var succeeded: Bool { status == 0 }
    }

    /// The tool's path on `PATH`, if it is there.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs `name` with `arguments` and waits (at most `timeout`); `nil` when it is not installed.
    static func run(_ name: String, _ arguments: [String], timeout: TimeInterval = 30) -> Outcome? {
        guard let executable = find(name) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return Outcome(status: -1, output: "\(name) did not start") }
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return Outcome(
            status: process.terminationStatus,
            output: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        )
    }
}
