import ByokyTesting
import Foundation
import Testing

/// Runs the built `byoky` executable and checks what a user sees.
struct CommandLineTests {
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

    func run(_ arguments: [String], input: String? = nil) throws -> ProcessRunner.Output {
        try ProcessRunner.runBlocking(Self.executable, arguments: arguments, input: input)
    }

    @Test(.timeLimit(.minutes(1)))
    func demoRunsAndExitsZeroWithoutShowingTheKey() throws {
        let result = try run(["demo"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("anthropic"))
        #expect(result.stdout.contains("<redacted>"))
        #expect(result.stdout.contains(#""type":"error""#))
        let masked = try #require(result.stdout.split(separator: "\n").first { $0.contains("masked") })
        #expect(masked.contains("sk-d..."))
    }

    @Test(.timeLimit(.minutes(1)))
    func helpExplainsTheCommands() throws {
        let result = try run(["--help"])
        #expect(result.status == 0)
        for word in ["demo", "providers", "password-check", "session"] { #expect(result.stdout.contains(word)) }
        #expect(try run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
    }

    @Test(.timeLimit(.minutes(1)))
    func providersListsAllFifteen() throws {
        let result = try run(["providers"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: "\n").count == 15)
        #expect(result.stdout.contains("azure_openai\tAzure OpenAI"))
    }

    @Test(.timeLimit(.minutes(1)))
    func passwordCheckReadsStandardInputAndFailsWeakPasswords() throws {
        let strong = try run(["password-check"], input: "Xk9$mP2vL8@nQ4wR!\n")
        #expect(strong.status == 0)
        #expect(strong.stdout.hasPrefix("Very strong (4/4)"))
        let weak = try run(["password-check"], input: "short\n")
        #expect(weak.status == 1)
        #expect(weak.stdout.contains("Use at least 12 characters"))
        let none = try run(["password-check"], input: "")
        #expect(none.status != 0)
        #expect(none.stderr.contains("standard input"))
    }

    @Test(.timeLimit(.minutes(1)))
    func unknownCommandsSayWhatToDo() throws {
        let result = try run(["frobnicate"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("byoky --help") || result.stderr.contains("Usage"))
    }
}
