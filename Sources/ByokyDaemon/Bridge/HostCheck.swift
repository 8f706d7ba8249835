/// Whether a request's `Host` names the loopback interface exactly, so a web page cannot reach
/// the bridge through DNS rebinding (a hostile name that resolves to 127.0.0.1).
enum HostCheck {
    /// The loopback names, as lowercase bytes (made once: a literal list of strings would be
    /// allocated on each request).
    private static let loopbackNames: [[UInt8]] = ["localhost", "127.0.0.1", "[::1]"].map { Array($0.utf8) }

    /// Whether `name` is `loopback` in any letter case (only `A`–`Z` fold to `a`–`z`).
    private static func matches(_ name: UnsafeBufferPointer<UInt8>, loopback: [UInt8]) -> Bool {
        guard name.count == loopback.count else { return false }
        for index in 0..<name.count {
            let byte = name[index]
            let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            guard folded == loopback[index] else { return false }
        }
        return true
    }

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
            let name = UnsafeBufferPointer(rebasing: bytes[..<nameEnd])
            return loopbackNames.contains { matches(name, loopback: $0) }
        }
    }
}
