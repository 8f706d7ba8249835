extension AbsoluteURL {
    /// Whether the host names a machine on the public internet as far as the URL itself tells:
    /// not loopback (`localhost`, `*.localhost`, 127.0.0.0/8, `::1`), not an unspecified, private,
    /// link-local or unique-local address, and a dotted name (not a bare intranet label).
    ///
    /// A public name can still resolve to a private address; callers that fetch the URL must check
    /// the address they connect to as well.
    public var isPublicHost: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") { return false }
        if let octets = Self.ipv4Octets(host) {
            switch (octets[0], octets[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return false
            case (172, 16...31), (100, 64...127): return false
            default: return octets[0] < 224
            }
        }
        if host.contains(":") {
            let lowered = host.lowercased()
            if lowered == "::1" || lowered == "::" { return false }
            let first = lowered.split(separator: ":", omittingEmptySubsequences: false).first ?? ""
            guard let leading = UInt16(first, radix: 16) else { return lowered.hasPrefix("::ffff:") == false }
            // fc00::/7 unique local, fe80::/10 link local.
            return leading & 0xFE00 != 0xFC00 && leading & 0xFFC0 != 0xFE80
        }
        return host.contains(".")
    }

    private static func ipv4Octets(_ host: String) -> [Int]? {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let octets = parts.compactMap { part -> Int? in
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = Int(part), value <= 255
            else { return nil }
            return value
        }
        return octets.count == 4 ? octets : nil
    }
}
