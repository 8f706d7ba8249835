/// Whether a request's `Host` names the loopback interface exactly, so a web page cannot reach
/// the bridge through DNS rebinding (a hostile name that resolves to 127.0.0.1).
enum HostCheck {
    /// Whether `host` (with an optional port of ASCII digits) is `localhost`, `127.0.0.1` or
    /// `[::1]`, in any letter case. Read as bytes: it runs on every request.
    static func isLoopback(_ host: String) -> Bool {
        var host = host
        return host.withUTF8 { bytes in
            var nameEnd = bytes.count
            var portStart = bytes.count
            if bytes.first == UInt8(ascii: "[") {
                guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
                nameEnd = close + 1
                if nameEnd < bytes.count {
                    guard bytes[nameEnd] == UInt8(ascii: ":") else { return false }
                    portStart = nameEnd + 1
                }
            } else if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
                nameEnd = colon
                portStart = colon + 1
            }
            guard bytes[portStart...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                return false
            }
            let name = bytes[..<nameEnd]
            return ["localhost", "127.0.0.1", "[::1]"].contains { loopback in
                name.count == loopback.utf8.count
                    && zip(name, loopback.utf8).allSatisfy { byte, expected in
                        // Only letters fold: `A`–`Z` to `a`–`z`.
                        let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                        return folded == expected
                    }
            }
        }
    }
}
