/// A strictly parsed absolute URL with an authority (`scheme://host[:port]/path?query`).
///
/// Built for security checks, so it refuses rather than repairs: user info (`user@host`), raw
/// non-ASCII hosts (IDN must arrive as punycode), percent-encoded hosts, empty labels, trailing
/// dots, backslashes, whitespace and control characters are all errors. Scheme and host are
/// lower-cased; the default port of the scheme is dropped from ``origin``.
public struct AbsoluteURL: Sendable, Hashable, CustomStringConvertible {
    /// The lower-cased scheme, e.g. `https`.
    public let scheme: String
    /// The lower-cased host; an IPv6 literal is kept without brackets (`::1`).
    public let host: String
    /// The explicit port, if the URL names one.
    public let port: Int?
    /// The path (always starting with `/`, `/` when empty).
    public let path: String
    /// The query without `?`, if any.
    public let query: String?

    /// Parses `text`; returns `nil` for anything this type refuses (see the type's documentation).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 8192 else { return nil }
        for byte in bytes where byte <= 0x20 || byte >= 0x7F || byte == UInt8(ascii: "\\") {
            return nil
        }
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard let first = scheme.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
            scheme.utf8.allSatisfy({ Self.isSchemeByte($0) })
        else { return nil }

        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains("%") else { return nil }

        var hostPart: Substring
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let afterClose = authority[authority.index(after: close)...]
            if !afterClose.isEmpty {
                guard afterClose.hasPrefix(":") else { return nil }
                portPart = afterClose.dropFirst()
            }
            guard !hostPart.isEmpty, hostPart.contains(":"),
                hostPart.utf8.allSatisfy({ Self.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return nil }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                hostPart = authority[..<colon]
                portPart = authority[authority.index(after: colon)...]
            } else {
                hostPart = authority
            }
            let labels = hostPart.split(separator: ".", omittingEmptySubsequences: false)
            guard !hostPart.isEmpty,
                labels.allSatisfy({ label in
                    !label.isEmpty && label.utf8.count <= 63
                        && label.utf8.allSatisfy { Self.isHostByte($0) }
                        && !label.hasPrefix("-") && !label.hasSuffix("-")
                })
            else { return nil }
        }
        var port: Int?
        if let portPart {
            guard !portPart.isEmpty, portPart.utf8.count <= 5, portPart.utf8.allSatisfy({ Self.isDigit($0) }),
                let value = Int(portPart), (1...65535).contains(value)
            else { return nil }
            port = value
        }

        var tail = rest[authorityEnd...]
        if let hash = tail.firstIndex(of: "#") { tail = tail[..<hash] }
        var path: Substring = tail
        var query: Substring?
        if let questionMark = tail.firstIndex(of: "?") {
            path = tail[..<questionMark]
            query = tail[tail.index(after: questionMark)...]
        }
        if path.isEmpty { path = "/" }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.contains(where: { $0 == "." || $0 == ".." }) else { return nil }

        self.scheme = scheme
        self.host = hostPart.lowercased()
        self.port = port
        self.path = String(path)
        self.query = query.map(String.init)
    }

    /// The port used to connect: the explicit one, else the scheme's default (80/443), else `nil`.
    public var effectivePort: Int? {
        if let port { return port }
        switch scheme {
        case "http", "ws": return 80
        case "https", "wss": return 443
        default: return nil
        }
    }

    /// `scheme://host[:port]`, with an IPv6 host in brackets and the default port left out.
    public var origin: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        if let port, port != Self.defaultPort(for: scheme) {
            return "\(scheme)://\(hostText):\(port)"
        }
        return "\(scheme)://\(hostText)"
    }

    /// Whether the host is one of the exact loopback names `localhost`, `127.0.0.1` or `::1`.
    public var isLoopbackHost: Bool {
        host == "localhost" || host == "127.0.0.1" || host == "::1"
    }

    /// The path followed by `?query` when there is one.
    public var pathAndQuery: String {
        query.map { "\(path)?\($0)" } ?? path
    }

    public var description: String { origin + pathAndQuery }

    private static func defaultPort(for scheme: String) -> Int? {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        default: nil
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_")
    }
}
