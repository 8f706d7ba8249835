/// Short gift links (`https://byoky.com/g/<id>`, `byoky://g/<id>`), resolved through a vault.
public enum GiftShortLink {
    /// Whether `id` is a valid short id: 8 to 32 ASCII letters and digits.
    public static func isValidID(_ id: some StringProtocol) -> Bool {
        (8...32).contains(id.utf8.count)
            && id.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
            }
    }

    /// The web URL for a short id.
    public static func webURL(for id: String) -> String { "https://byoky.com/g/\(id)" }

    /// The deep link for a short id.
    public static func deepLink(for id: String) -> String { "byoky://g/\(id)" }

    /// The short id in `input`: an `http(s)://<host>/g/<id>` URL (a trailing `/` allowed), a
    /// `byoky://g/<id>` deep link, or a bare id; surrounding whitespace is ignored.
    public static func extractID(from input: String) -> String? {
        let text = input.trimmingASCIIWhitespace()
        if isValidID(text) { return text }
        var candidate: Substring
        if text.hasPrefix("byoky://g/") {
            candidate = Substring(text).dropFirst("byoky://g/".count)
        } else if let url = AbsoluteURL(text), url.scheme == "http" || url.scheme == "https", url.query == nil,
            url.path.hasPrefix("/g/")
        {
            candidate = Substring(url.path).dropFirst(3)
        } else {
            return nil
        }
        if candidate.hasSuffix("/") { candidate = candidate.dropLast() }
        return isValidID(candidate) ? String(candidate) : nil
    }

    /// Whether `input` is a short-link URL (a bare id is not).
    public static func isShortURL(_ input: String) -> Bool {
        let text = input.trimmingASCIIWhitespace()
        return extractID(from: text) != nil && !isValidID(text)
    }

    /// The vault path that resolves a short id: `<base>/gift-links/<id>`.
    public static func resolutionURL(vaultBase: String, id: String) -> String {
        var base = Substring(vaultBase)
        while base.hasSuffix("/") { base = base.dropLast() }
        return "\(base)/gift-links/\(APIFamily.percentEncodePathSegment(id))"
    }
}
