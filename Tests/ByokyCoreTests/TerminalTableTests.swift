import ByokyCore
import Testing

/// Listings for people line up under a header; for scripts they stay one tab-separated line a
/// row with no header; neither lets a value break its line or the terminal.
struct TerminalTableTests {
    static let table = TerminalTable(
        headers: ["key", "provider", "base url"],
        rows: [["Anthropic", "anthropic"], ["Azure", "azure_openai", "https://example.openai.azure.com"]]
    )

    @Test func aTerminalGetsColumnsUnderAHeader() {
        #expect(
            Self.table.lines(aligned: true) == [
                "KEY        PROVIDER      BASE URL",
                "Anthropic  anthropic",
                "Azure      azure_openai  https://example.openai.azure.com",
            ]
        )
    }

    @Test func aScriptGetsTabSeparatedRowsWithEveryColumn() {
        #expect(
            Self.table.lines(aligned: false) == [
                "Anthropic\tanthropic\t",
                "Azure\tazure_openai\thttps://example.openai.azure.com",
            ]
        )
    }

    @Test func controlCharactersInAValueCannotSplitALineOrDriveTheTerminal() {
        let table = TerminalTable(headers: ["app", "state"], rows: [["evil\tname\n\u{1B}[2J", "active"]])
        for aligned in [true, false] {
            let lines = table.lines(aligned: aligned)
            #expect(lines.count == (aligned ? 2 : 1))
            #expect(lines.last?.hasPrefix("evil?name??[2J") == true, "\(lines)")
            #expect(lines.allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\n") })
        }
        #expect(table.lines(aligned: false) == ["evil?name??[2J\tactive"])
    }

    @Test func widthsCountCharactersNotBytes() {
        let table = TerminalTable(headers: ["name", "n"], rows: [["Café", "1"], ["x", "2"]])
        #expect(table.lines(aligned: true) == ["NAME  N", "Café  1", "x     2"])
    }
}
