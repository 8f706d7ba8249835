/// Whether a request's `Host` names the loopback interface exactly, so a web page cannot reach
/// the bridge through DNS rebinding (a hostile name that resolves to 127.0.0.1).
enum HostCheck {
    /// Whether `host` (with an optional port) is `localhost`, `127.0.0.1` or `[::1]`.
    static func isLoopback(_ host: String) -> Bool {
        var name = Substring(host.lowercased())
        if name.hasPrefix("[") {
            guard let close = name.firstIndex(of: "]") else { return false }
            let rest = name[name.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber)) else { return false }
            name = name[name.index(after: name.startIndex)..<close]
            return name == "::1"
        }
        if let colon = name.firstIndex(of: ":") {
            guard name[name.index(after: colon)...].allSatisfy(\.isNumber) else { return false }
            name = name[..<colon]
        }
        return name == "localhost" || name == "127.0.0.1"
    }
}
