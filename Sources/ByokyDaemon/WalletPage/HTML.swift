/// HTML text whose interpolations are escaped unless marked as HTML: names, labels, origins and
/// model names are chosen by apps and people, so escaping is the default, not a step to remember.
///
///     let row: HTML = "<td>\(app.name)</td>"      // escaped
///     let page: HTML = "<tbody>\(rows)</tbody>"     // `rows` is HTML already: kept
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var text: String

    init(stringLiteral value: String) { text = value }

    init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    /// Markup already escaped (or written by this program).
    init(trusted text: String) { self.text = text }

    var description: String { text }

    struct Interpolation: StringInterpolationProtocol {
        var text = ""

        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }

        mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text: escaped for element content and quoted attribute values.
        mutating func appendInterpolation(_ value: some StringProtocol) { text += HTML.escape(value) }

        mutating func appendInterpolation(_ value: Int) { text += String(value) }

        mutating func appendInterpolation(_ value: Int64) { text += String(value) }

        mutating func appendInterpolation(_ value: HTML) { text += value.text }

        mutating func appendInterpolation(_ values: [HTML]) {
            for value in values { text += value.text }
        }
    }

    /// `value` with `& < > " '` replaced by character references.
    static func escape(_ value: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
