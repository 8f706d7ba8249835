/// A listing's rows, laid out for whoever reads them: under a header, in columns padded to line
/// up, for a person at a terminal; one tab-separated line a row, with no header, for a script
/// or a pipe (what `cut -f` and `awk -F'\t'` split).
public struct TerminalTable: Sendable {
    /// The columns' names, in upper case on a terminal.
    public let headers: [String]
    /// The rows, each with a value for every column (a shorter row leaves the rest empty).
    public let rows: [[String]]

    public init(headers: [String], rows: [[String]]) {
        self.headers = headers
        self.rows = rows
    }

    /// The lines to print: aligned under the header when `aligned`, else tab-separated.
    /// Control characters in values are shown as `?` either way (a value may come from an
    /// app or a backup file); a tab or line break would split the line.
    public func lines(aligned: Bool) -> [String] {
        let cleaned = rows.map { row in
            (0..<max(headers.count, row.count)).map { index in
                index < row.count ? TerminalText.printable(row[index]) : ""
            }
        }
        guard aligned else { return cleaned.map { $0.joined(separator: "\t") } }
        let table = [headers.map { $0.uppercased() }] + cleaned
        let columns = table.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in
            table.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return table.map { row in
            var line = ""
            for (column, value) in row.enumerated() {
                let isLast = column == row.count - 1
                line += isLast ? value : value + String(repeating: " ", count: widths[column] - value.count + 2)
            }
            // A last column left empty leaves no spaces at the end of the line.
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
