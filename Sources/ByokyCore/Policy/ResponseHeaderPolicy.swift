/// Which upstream response headers reach the app.
public enum ResponseHeaderPolicy {
    /// Headers that identify the upstream's infrastructure or set state in the app's client.
    public static let strippedHeaders: Set<String> = [
        "server", "x-request-id", "x-cloud-trace-context", "set-cookie", "set-cookie2", "alt-svc", "via",
    ]

    /// Hop-by-hop headers, which describe one connection and never travel through a proxy.
    public static let hopByHopHeaders: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade",
    ]

    /// Headers that describe the body's bytes and are wrong once the body is translated.
    public static let bodyFramingHeaders: Set<String> = ["content-length", "content-encoding", "content-md5", "etag"]

    /// Whether the upstream header `name` may be passed to the app.
    ///
    /// - Parameter bodyIsRewritten: `true` when the wallet changes the body (translation), so
    ///   length and encoding headers no longer apply.
    public static func forwards(_ name: String, bodyIsRewritten: Bool) -> Bool {
        switch verdicts[name.lowercased()] {
        case .never: false
        case .unlessRewritten: !bodyIsRewritten
        case nil: true
        }
    }

    /// The headers of `headers` that may be passed to the app.
    public static func filter(
        _ headers: some Sequence<(name: String, value: String)>,
        bodyIsRewritten: Bool
    ) -> [(name: String, value: String)] {
        headers.filter { forwards($0.name, bodyIsRewritten: bodyIsRewritten) }
    }

    private enum Verdict { case never, unlessRewritten }

    /// The three lists above as one table: one look-up per header.
    private static let verdicts: [String: Verdict] = {
        var table: [String: Verdict] = [:]
        for name in bodyFramingHeaders { table[name] = .unlessRewritten }
        for name in strippedHeaders.union(hopByHopHeaders) { table[name] = .never }
        return table
    }()
}
