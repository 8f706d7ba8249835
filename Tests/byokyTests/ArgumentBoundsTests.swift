import ByokyTesting
import Foundation
import Testing

/// Numbers on the command line are checked before a command does anything: a port past 65535
/// was cut down to another port and served there (`byoky serve --port 99999` listened on 34463),
/// a negative count or lifetime went through, and `exec` handed any `--bridge` text to its
/// command as a provider URL.
struct ArgumentBoundsTests {
    /// Runs `binary` with `arguments` in a throw-away home, at most 20 seconds (a command that
    /// took a bad port would start serving instead of exiting).
    static func run(_ binary: String, _ arguments: [String]) async throws -> ProcessRunner.Output {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("byoky-bounds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment["BYOKY_HOME"] = home.appendingPathComponent("wallet").path
        return try await ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/timeout"),
            arguments: ["20", HelpPages.executable(binary).path] + arguments,
            environment: environment
        )
    }

    @Test(.timeLimit(.minutes(5)), arguments: HelpPages.binaries)
    func everyPortOptionRefusesWhatIsNoPort(binary: String) async throws {
        let commands = try await HelpPages.all(of: binary).filter { $0.help.contains("--port <port>") }.map(\.path)
        for path in commands {
            for port in ["--port=70000", "--port=65536", "--port=-1"] {
                let result = try await Self.run(binary, path + [port])
                let command = ([binary] + path + [port]).joined(separator: " ")
                #expect(result.status == 64, "\(command): \(result.status) \(result.stdout) \(result.stderr)")
                #expect(result.stderr.contains("--port must be"), "\(command): \(result.stderr)")
            }
        }
        #expect(!commands.isEmpty, "\(binary) has a command with --port")
    }

    @Test(.timeLimit(.minutes(3)))
    func valuesOutOfRangeAreRefused() async throws {
        let cases: [(binary: String, arguments: [String], message: String)] = [
            ("byoky", ["exec", "--minutes=0", "--", "true"], "--minutes takes 1 to 525600"),
            ("byoky", ["exec", "--minutes=-5", "--", "true"], "--minutes takes 1 to 525600"),
            ("byoky", ["exec", "--minutes=9223372036854775807", "--", "true"], "--minutes takes 1 to 525600"),
            ("byoky", ["exec", "--bridge", "notaurl", "--", "true"], "--bridge takes the bridge's address"),
            ("byoky", ["exec", "--bridge", "ftp://127.0.0.1:1", "--", "true"], "--bridge takes the bridge's address"),
            ("byoky", ["log", "--limit=-3"], "--limit takes 1 to 10000"),
            ("byoky", ["log", "show", "--limit=10001"], "--limit takes 1 to 10000"),
            ("byoky", ["limit", "set", "app", "10", "--period=fortnight"], "Usage: byoky limit set"),
            ("byoky", ["limit", "remove", "app", "--period=fortnight"], "--period must be lifetime, day or month"),
            ("byoky", ["gift", "create", "--key", "k", "--budget=0", "--expires", "1h"], "--budget takes 1 to"),
            (
                "byoky", ["gift", "create", "--key", "k", "--budget=10", "--expires", "soon"],
                "--expires takes a number"
            ),
            ("byoky-mock-provider", ["--words=0"], "--words must be 1 or more"),
            ("byoky-mock-provider", ["--delay-ms=-1"], "Delays are milliseconds, 0 or more"),
        ]
        for (binary, arguments, message) in cases {
            let result = try await Self.run(binary, arguments)
            let command = ([binary] + arguments).joined(separator: " ")
            #expect(result.status == 64, "\(command): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(message), "\(command): \(result.stderr)")
        }
    }
}
