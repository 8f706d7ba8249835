/// Hides the identifiers of the owner's account with a provider that error messages quote, so an
/// app (or a gift's receiver) never learns whose account serves it:
/// - OpenAI's organization and project (`org-…`, `proj_…`: "Rate limit reached for … in
///   organization org-… on tokens per min") and Groq's organization (`org_…`), when
///   ``minimumLength`` or more letters and digits follow the prefix;
/// - UUIDs, such as Anthropic's organization ("would exceed the rate limit for your organization
///   (…) of 30,000 input tokens per minute", "(org: …, model: …)") and xAI's team;
/// - Google Cloud project numbers, which Gemini's errors name ("has not been used in project …",
///   `?project=…`, "for consumer 'project_number:…'", `"consumer": "projects/…"`,
///   `"containerInfo": "…"`), when ``minimumDigits`` or more digits follow.
///
/// A prefix stays and what identifies becomes `*` (a UUID keeps its dashes). The body keeps its
/// length, so its `content-length` stays true.
public enum AccountIdentifierMask {
    /// What follows a prefix.
    enum Run {
        /// Letters and digits, at least ``minimumLength``.
        case lettersAndDigits
        /// Digits, at least ``minimumDigits``.
        case digits
    }

    /// The prefixes that introduce an identifier, and what follows each.
    static let prefixes: [(bytes: [UInt8], run: Run)] = [
        (Array("org-".utf8), .lettersAndDigits), (Array("proj_".utf8), .lettersAndDigits),
        (Array("org_".utf8), .lettersAndDigits), (Array("project ".utf8), .digits),
        (Array("projects/".utf8), .digits), (Array("project=".utf8), .digits),
        (Array("project_number:".utf8), .digits), (Array(#"containerInfo":""#.utf8), .digits),
        (Array(#"containerInfo": ""#.utf8), .digits),
    ]
    /// The fewest letters and digits after a prefix that make an identifier (OpenAI's have 24,
    /// Groq's 26).
    public static let minimumLength = 16
    /// The fewest digits that make a project number (Google's have 12).
    public static let minimumDigits = 6
    /// The lengths of a UUID's hexadecimal groups.
    static let uuidGroups = [8, 4, 4, 4, 12]

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
            guard index == bytes.startIndex || !isIdentifierByte(bytes[bytes.index(before: index)]) else {
                bytes.formIndex(after: &index)
                continue
            }
            if let end = uuidEnd(in: bytes, from: index) {
                var position = index
                while position != end {
                    if bytes[position] != UInt8(ascii: "-") { bytes[position] = UInt8(ascii: "*") }
                    bytes.formIndex(after: &position)
                }
                masked = true
                index = end
                continue
            }
            guard let prefix = prefixes.first(where: { bytes[index...].starts(with: $0.bytes) }) else {
                bytes.formIndex(after: &index)
                continue
            }
            let start = bytes.index(index, offsetBy: prefix.bytes.count)
            let digitsOnly = prefix.run == .digits
            var end = start
            while end != bytes.endIndex, digitsOnly ? isDigit(bytes[end]) : isLetterOrDigit(bytes[end]) {
                bytes.formIndex(after: &end)
            }
            let length = bytes.distance(from: start, to: end)
            if length >= (digitsOnly ? minimumDigits : minimumLength) {
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

    /// The end of the UUID that starts at `start` (five groups of hexadecimal digits, 8-4-4-4-12,
    /// joined by dashes, not followed by a letter, digit, dash or underscore); `nil` if none does.
    private static func uuidEnd<Bytes: RandomAccessCollection<UInt8>>(
        in bytes: Bytes,
        from start: Bytes.Index
    ) -> Bytes.Index? {
        var position = start
        for (group, length) in uuidGroups.enumerated() {
            if group > 0 {
                guard position != bytes.endIndex, bytes[position] == UInt8(ascii: "-") else { return nil }
                bytes.formIndex(after: &position)
            }
            for _ in 0..<length {
                guard position != bytes.endIndex, isHexDigit(bytes[position]) else { return nil }
                bytes.formIndex(after: &position)
            }
        }
        if position != bytes.endIndex, isIdentifierByte(bytes[position]) { return nil }
        return position
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || isDigit(byte)
    }

    /// A byte that continues a word an identifier could not start inside.
    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}
