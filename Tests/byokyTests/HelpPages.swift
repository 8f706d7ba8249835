import ByokyTesting
import Foundation
import Testing

/// The help pages of a binary of this package, every command's, walked from the root.
enum HelpPages {
    /// The binaries with command-line help.
    static let binaries = ["byoky", "byoky-relay", "byoky-vault", "byoky-marketplace", "byoky-mock-provider"]

    /// The built binary `name` (beside `byoky`).
    static func executable(_ name: String) -> URL {
        CommandLineTests.executable.deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Every command's help page (its path of subcommands, and the page as printed 1,000 columns
    /// wide, where ArgumentParser wraps nothing: the lines come out as written).
    static func all(of binary: String) async throws -> [(path: [String], help: String)] {
        var environment = ProcessInfo.processInfo.environment
        environment["COLUMNS"] = "1000"
        var pending: [[String]] = [[]]
        var pages: [(path: [String], help: String)] = []
        while let path = pending.popLast() {
            try #require(pages.count < 300, "more help pages than any command tree here has")
            let help = try await ProcessRunner.run(
                executable(binary),
                arguments: path + ["--help"],
                environment: environment
            )
            try #require(help.status == 0, "\(binary) \(path.joined(separator: " ")) --help: \(help.stderr)")
            pages.append((path, help.stdout))
            pending += subcommands(inHelp: help.stdout).filter { $0 != "help" }.map { path + [$0] }
        }
        return pages
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
}
