import ByokyTesting
import Foundation
import Testing

/// Runs the built `byoky` executable and checks what a user sees.
struct CommandLineTests {
    /// The package root.
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// Starts a sibling binary of `byoky` (`byoky-relay`, `byoky-mock-provider`,
    /// `byoky-marketplace`) on a free port (`--port 0`), with `arguments` after that.
    static func server(_ name: String, _ arguments: String...) throws -> BackgroundProcess {
        try BackgroundProcess(
            executable.deletingLastPathComponent().appendingPathComponent(name),
            arguments: ["--port", "0"] + arguments
        )
    }

    static let executable: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url.deleteLastPathComponent()
        }
        let candidates = [".build/debug/byoky", ".build/release/byoky"].map { url.appendingPathComponent($0) }
        if let bundle = Bundle.allBundles.first(where: { $0.bundlePath.hasSuffix(".xctest") }) {
            let sibling = bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("byoky")
            if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }()

    /// Runs the binary on a thread of its own (waiting must not hold a cooperative pool thread).
    func run(_ arguments: [String], input: String? = nil) async throws -> ProcessRunner.Output {
        try await ProcessRunner.run(Self.executable, arguments: arguments, input: input)
    }

    /// Whether `word` numbers a step of the demo (`3.`).
    static func isStepNumber(_ word: Substring) -> Bool {
        word.count == 2 && word.last == "." && word.first?.isNumber == true
    }

    @Test(.timeLimit(.minutes(3)))
    func demoRunsTheWholeFlowAndShowsNoKey() async throws {
        let result = try await run(["demo"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("POST /anthropic/v1/messages → 200: \"Mock reply to: Hello from the byoky demo"))
        #expect(result.stdout.contains("(stream) → 200"))
        // The tool call's arguments as JSON, as the provider sent them.
        #expect(result.stdout.contains(#"tool call get_weather {"city":"mock"}"#))
        // Each step is numbered once.
        let firstWords: [Substring] = result.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: " ").first
        }
        let steps: [String] = firstWords.filter(Self.isStepNumber).map(String.init)
        #expect(steps == ["1.", "2.", "3.", "4.", "5.", "6."], "\(steps)")
        #expect(result.stdout.contains("A guessed session key → 401"))
        #expect(result.stdout.contains("demo-chat\tanthropic\tclaude-sonnet-4-6\t200"))
        #expect(
            result.stdout.contains(
                "Routed to Claude: POST /openai/v1/chat/completions → 200 (chat.completion, model gpt-5.5)"
            )
        )
        #expect(result.stdout.contains("Revoked the session"))
        #expect(result.stdout.firstRange(of: /sk-mock-[0-9a-f]{32}/) == nil)
        #expect(result.stdout.firstRange(of: /byk_[0-9a-f]{32}/) == nil)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
    }

    @Test(.timeLimit(.minutes(3)))
    func helpExplainsTheCommands() async throws {
        let result = try await run(["--help"])
        #expect(result.status == 0)
        for word in ["demo", "init", "key", "serve", "exec", "sessions", "revoke", "log", "status", "providers"] {
            #expect(result.stdout.contains(word))
        }
        #expect(try await run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test(.timeLimit(.minutes(3)))
    func execHelpIsHelpNotACommandToRun() async throws {
        // `exec` passes its command's arguments through untouched; before any `--`, `--help` and
        // `-h` still ask for its help (no wallet needed), not for a program named `--help`.
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("byoky-exec-help-\(UUID().uuidString)")
        var environment = ProcessInfo.processInfo.environment
        environment["BYOKY_HOME"] = home.path
        for flag in ["--help", "-h"] {
            let result = try await ProcessRunner.run(
                Self.executable,
                arguments: ["exec", flag],
                environment: environment
            )
            #expect(result.status == 0, "\(flag): \(result.stderr)")
            #expect(result.stdout.contains("OVERVIEW: Run a command with a fresh session"), "\(flag)")
            #expect(result.stdout.contains("ANTHROPIC_BASE_URL"), "\(flag)")
        }
        #expect(!FileManager.default.fileExists(atPath: home.path))
    }

    @Test(.timeLimit(.minutes(3)))
    func providersListsAllFifteen() async throws {
        let result = try await run(["providers"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 15)
        #expect(result.stdout.contains("azure_openai\tAzure OpenAI"))
    }

    @Test(.timeLimit(.minutes(3)))
    func passwordCheckReadsStandardInputAndFailsWeakPasswords() async throws {
        let strong = try await run(["password-check"], input: "Xk9$mP2vL8@nQ4wR!\n")
        #expect(strong.status == 0)
        #expect(strong.stdout.hasPrefix("Very strong (4/4)"))
        let weak = try await run(["password-check"], input: "short\n")
        #expect(weak.status == 1)
        #expect(weak.stdout.contains("Use at least 12 characters"))
        let none = try await run(["password-check"], input: "")
        #expect(none.status != 0)
        #expect(none.stderr.contains("standard input"))
    }

    @Test(.timeLimit(.minutes(3)))
    func unknownCommandsSayWhatToDo() async throws {
        let result = try await run(["frobnicate"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("byoky --help") || result.stderr.contains("Usage"))
    }
}
