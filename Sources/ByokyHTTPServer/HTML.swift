/// HTML text whose interpolations are escaped unless marked as HTML: names, labels, origins and
/// model names are chosen by apps and people, so escaping is the default, not a step to remember.
///
///     let row: HTML = "<td>\(app.name)</td>"      // escaped
///     let page: HTML = "<tbody>\(rows)</tbody>"     // `rows` is HTML already: kept
package struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    package private(set) var text: String

    package init(stringLiteral value: String) { text = value }

    package init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    /// Markup already escaped (or written by this program).
    package init(trusted text: String) { self.text = text }

    package var description: String { text }

    package struct Interpolation: StringInterpolationProtocol {
        package var text = ""

        package init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }

        package mutating func appendLiteral(_ literal: String) { text += literal }

        /// Text: escaped for element content and quoted attribute values.
        package mutating func appendInterpolation(_ value: some StringProtocol) { text += HTML.escape(value) }

        package mutating func appendInterpolation(_ value: Int) { text += String(value) }

        package mutating func appendInterpolation(_ value: Int64) { text += String(value) }

        package mutating func appendInterpolation(_ value: HTML) { text += value.text }

        package mutating func appendInterpolation(_ values: [HTML]) {
            for value in values { text += value.text }
        }
    }

    /// `value` with `& < > " '` replaced by character references.
    package static func escape(_ value: some StringProtocol) -> String {
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
