/// What a reader of a byte stream made of it, as lines of text a test compares: consecutive body
/// slices joined into one `body …` line, so the lines do not depend on how the bytes were cut.
package struct PartTranscript {
    package private(set) var lines: [String] = []

    package init() {}

    /// Adds a line for a part other than body bytes.
    package mutating func note(_ line: String) {
        lines.append(line)
    }

    /// Adds body text, joined to the body line before it if the last line is one.
    package mutating func noteBody(_ text: String) {
        if let last = lines.last, last.hasPrefix("body ") {
            lines[lines.count - 1] = last + text
        } else {
            lines.append("body " + text)
        }
    }
}
