import ByokyTesting
import Foundation
import Testing

/// Every command's help reads well in an 80-column terminal. ArgumentParser wraps each line of a
/// command's discussion on its own, so a line broken by hand past 80 columns comes out as a long
/// line and a stray fragment; a paragraph written as one line is wrapped whole and reads well.
struct HelpLayoutTests {
    static let widestHandBrokenLine = 80

    /// Lines broken by hand (a block of more than one line between blank lines) that are wider
    /// than ``widestHandBrokenLine`` in the text of a help page before its usage line; the first
    /// line (the overview) is one line and is wrapped whole.
    static func overlongLines(inHelp help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        let text = lines.prefix { !$0.hasPrefix("USAGE:") }.dropFirst().map(String.init)
        var problems: [String] = []
        var block: [String] = []
        for line in text + [""] {
            guard line.isEmpty else {
                block.append(line)
                continue
            }
            if block.count > 1 { problems += block.filter { $0.count > widestHandBrokenLine } }
            block = []
        }
        return problems
    }

    /// The subcommands a help page lists (each name two spaces in, at the start of its row).
    static func subcommands(inHelp help: String) -> [String] {
        let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("SUBCOMMANDS:") }) else { return [] }
        var names: [String] = []
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("  ") else { break }
            guard let match = line.wholeMatch(of: /\ \ ([a-z][a-z0-9-]*)(\ \(default\))?(\s.*)?/) else { continue }
            names.append(String(match.output.1))
        }
        return names
    }

    @Test func aHandBrokenLineTooWideIsFoundAndAWholeParagraphIsNot() {
        let paragraph = String(repeating: "word ", count: 30)
        let help = """
            OVERVIEW: \(paragraph)

            \(paragraph)

            Broken by hand:
              \(paragraph)
            short

            USAGE: tool
            """
        #expect(Self.overlongLines(inHelp: help) == ["  " + paragraph])
        let listed = """
            SUBCOMMANDS:
              add                     Store a key.
              list (default)          List keys, with a description long enough
                                      to wrap.

              See 'tool help <subcommand>' for detailed help.
            """
        #expect(Self.subcommands(inHelp: listed) == ["add", "list"])
    }

    @Test(
        .timeLimit(.minutes(5)),
        arguments: ["byoky", "byoky-relay", "byoky-vault", "byoky-marketplace", "byoky-mock-provider"]
    )
    func everyHelpPageFitsAnEightyColumnTerminal(binary: String) async throws {
        let executable = CommandLineTests.executable.deletingLastPathComponent().appendingPathComponent(binary)
        // Wide enough that ArgumentParser wraps nothing: the lines come out as written.
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "1000"
        var pending: [[String]] = [[]]
        var pages = 0
        var problems: [String] = []
        while let path = pending.popLast() {
            pages += 1
            try #require(pages <= 300, "more help pages than any command tree here has")
            let help = try await ProcessRunner.run(executable, arguments: path + ["--help"], environment: environment)
            try #require(help.status == 0, "\(binary) \(path.joined(separator: " ")) --help: \(help.stderr)")
            let command = ([binary] + path).joined(separator: " ")
            problems += Self.overlongLines(inHelp: help.stdout).map { "\(command): \($0)" }
            pending += Self.subcommands(inHelp: help.stdout).filter { $0 != "help" }.map { path + [$0] }
        }
        #expect(pages > (binary == "byoky" ? 50 : 0))
        #expect(problems.isEmpty, "lines wider than 80 columns, broken by hand:\n\(problems.joined(separator: "\n"))")
    }
}
