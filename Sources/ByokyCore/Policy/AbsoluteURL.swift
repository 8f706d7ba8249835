/// A strictly parsed absolute URL with an authority (`scheme://host[:port]/path?query`).
///
/// Built for security checks, so it refuses rather than repairs: user info (`user@host`), raw
/// non-ASCII hosts (IDN must arrive as punycode), percent-encoded hosts, empty labels, trailing
/// dots, backslashes, whitespace and control characters are all errors, and so is a path whose
/// segments percent-decoding would change (``PathSegmentPolicy``). Scheme and host are
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
    /// `scheme://host[:port]`, with an IPv6 host in brackets and the default port left out.
    public let origin: String

    /// Parses `text`; returns `nil` for anything this type refuses (see the type's documentation).
    public init?(_ text: String) {
        // Every check below works on bytes: once this passes, the text is printable ASCII.
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 8192,
            !bytes.contains(where: { $0 <= 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "\\") })
        else { return nil }

        // The scheme ends at the first colon, which must open "://".
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), colon > 0, colon + 2 < bytes.count,
            bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/")
        else { return nil }
        let schemeBytes = bytes[..<colon].map(Self.lowercased)
        guard (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(schemeBytes[0]),
            schemeBytes.allSatisfy(Self.isSchemeByte)
        else { return nil }

        let authorityStart = colon + 3
        let authorityEnd =
            bytes[authorityStart...].firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
            } ?? bytes.endIndex
        let authority = bytes[authorityStart..<authorityEnd]
        guard !authority.isEmpty, !authority.contains(UInt8(ascii: "@")), !authority.contains(UInt8(ascii: "%"))
        else { return nil }

        let hostBytes: ArraySlice<UInt8>
        var portBytes: ArraySlice<UInt8>?
        if authority.first == UInt8(ascii: "[") {
            guard let close = authority.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostBytes = authority[(authority.startIndex + 1)..<close]
            let afterClose = authority[(close + 1)...]
            if !afterClose.isEmpty {
                guard afterClose.first == UInt8(ascii: ":") else { return nil }
                portBytes = afterClose.dropFirst()
            }
            guard !hostBytes.isEmpty, hostBytes.contains(UInt8(ascii: ":")),
                hostBytes.allSatisfy({ Self.isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") })
            else { return nil }
        } else {
            if let portColon = authority.firstIndex(of: UInt8(ascii: ":")) {
                hostBytes = authority[..<portColon]
                portBytes = authority[(portColon + 1)...]
            } else {
                hostBytes = authority
            }
            guard !hostBytes.isEmpty,
                hostBytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy({ label in
                    !label.isEmpty && label.count <= 63 && label.allSatisfy(Self.isHostByte)
                        && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                })
            else { return nil }
        }
        var port: Int?
        if let portBytes {
            guard !portBytes.isEmpty, portBytes.count <= 5, portBytes.allSatisfy(Self.isDigit) else { return nil }
            let value = portBytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard (1...65535).contains(value) else { return nil }
            port = value
        }

        var tail = bytes[authorityEnd...]
        if let hash = tail.firstIndex(of: UInt8(ascii: "#")) { tail = tail[..<hash] }
        var pathBytes = tail
        var queryBytes: ArraySlice<UInt8>?
        if let questionMark = tail.firstIndex(of: UInt8(ascii: "?")) {
            pathBytes = tail[..<questionMark]
            queryBytes = tail[(questionMark + 1)...]
        }
        // Dot segments, encoded separators and `//`, plain or percent-encoded (PathSegmentPolicy).
        guard PathSegmentPolicy.isSafe(pathBytes) else { return nil }

        self.scheme = String(decoding: schemeBytes, as: UTF8.self)
        self.host = String(decoding: hostBytes.map(Self.lowercased), as: UTF8.self)
        self.port = port
        self.path = pathBytes.isEmpty ? "/" : String(decoding: pathBytes, as: UTF8.self)
        self.query = queryBytes.map { String(decoding: $0, as: UTF8.self) }
        self.origin = Self.origin(scheme: scheme, host: host, port: port)
    }

    /// The port used to connect: the explicit one, else the scheme's default (80/443), else `nil`.
    public var effectivePort: Int? {
        port ?? Self.defaultPort(for: scheme)
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

    /// The origin of `scheme`, `host` and `port`: an IPv6 host in brackets, the port left out
    /// when it is the scheme's default. Also the address a server announces once it listens
    /// (`http://[::1]:19280`, never `http://::1:19280`).
    public static func origin(scheme: String, host: String, port: Int?) -> String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        if let port, port != defaultPort(for: scheme) {
            return "\(scheme)://\(hostText):\(port)"
        }
        return "\(scheme)://\(hostText)"
    }

    private static func defaultPort(for scheme: String) -> Int? {
        switch scheme {
        case "http", "ws": 80
        case "https", "wss": 443
        default: nil
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
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
