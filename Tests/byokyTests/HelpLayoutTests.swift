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
        #expect(HelpPages.subcommands(inHelp: listed) == ["add", "list"])
    }

    @Test(
        .timeLimit(.minutes(5)),
        arguments: HelpPages.binaries
    )
    func everyHelpPageFitsAnEightyColumnTerminal(binary: String) async throws {
        let pages = try await HelpPages.all(of: binary)
        var problems: [String] = []
        for page in pages {
            let command = ([binary] + page.path).joined(separator: " ")
            problems += Self.overlongLines(inHelp: page.help).map { "\(command): \($0)" }
        }
        #expect(pages.count > (binary == "byoky" ? 50 : 0))
        #expect(problems.isEmpty, "lines wider than 80 columns, broken by hand:\n\(problems.joined(separator: "\n"))")
    }
}
