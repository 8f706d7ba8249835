/// Hides the identifiers of the owner's account with a provider that error messages quote (OpenAI's
/// "Rate limit reached for … in organization org-… on tokens per min"): an `org-` or `proj_`
/// followed by ``minimumLength`` or more letters and digits keeps its prefix, and the rest becomes
/// `*`. The body keeps its length, so its `content-length` stays true.
public enum AccountIdentifierMask {
    /// The prefixes of OpenAI's organization and project ids.
    static let prefixes: [[UInt8]] = [Array("org-".utf8), Array("proj_".utf8)]
    /// The fewest letters and digits after a prefix that make an identifier (OpenAI's have 24).
    public static let minimumLength = 16

    /// Masks every identifier in `bytes`; whether there was one.
    @discardableResult
    public static func mask(
        _ bytes: inout some MutableCollection<UInt8> & RandomAccessCollection<UInt8>
    )
        -> Bool
    {
        var masked = false
        var index = bytes.startIndex
        while index != bytes.endIndex {
            guard bytes[index] == UInt8(ascii: "o") || bytes[index] == UInt8(ascii: "p"),
                index == bytes.startIndex || !isIdentifierByte(bytes[bytes.index(before: index)])
            else {
                bytes.formIndex(after: &index)
                continue
            }
            guard let prefix = prefixes.first(where: { bytes[index...].starts(with: $0) }) else {
                bytes.formIndex(after: &index)
                continue
            }
            let start = bytes.index(index, offsetBy: prefix.count)
            var end = start
            while end != bytes.endIndex, isLetterOrDigit(bytes[end]) { bytes.formIndex(after: &end) }
            if bytes.distance(from: start, to: end) >= minimumLength {
                var position = start
                while position != end {
                    bytes[position] = UInt8(ascii: "*")
                    bytes.formIndex(after: &position)
                }
                masked = true
            }
            index = end == start ? bytes.index(after: index) : end
        }
        return masked
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    /// A byte that continues a word an identifier could not start inside.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
