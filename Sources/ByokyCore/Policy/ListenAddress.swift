/// The address a server announces once it listens: a URL a browser or `curl` can open, with an
/// IPv6 host in brackets (`http://[::1]:19280`, never `http://::1:19280`).
public enum ListenAddress {
    /// The URL of a server on `host` and `port`.
    ///
    /// - Parameter scheme: `http`, or `ws` for a WebSocket server.
    public static func url(scheme: String = "http", host: String, port: Int) -> String {
        "\(scheme)://\(host.utf8.contains(UInt8(ascii: ":")) ? "[" + host + "]" : host):\(port)"
    }
}
