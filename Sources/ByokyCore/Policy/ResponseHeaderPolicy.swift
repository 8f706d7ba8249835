/// Which upstream response headers reach the app.
public enum ResponseHeaderPolicy {
    /// Headers that identify the upstream's infrastructure or the owner's account with the
    /// provider, or set state in the app's client. OpenAI names the organization and project a
    /// key belongs to, and Anthropic its organization, in every answer: passed on, they would let
    /// every app (and every stranger with a gift) tell which account serves it, and tie together
    /// the apps one owner uses.
    public static let strippedHeaders: Set<String> = [
        "server", "x-request-id", "x-cloud-trace-context", "set-cookie", "set-cookie2", "alt-svc", "via",
        "openai-organization", "openai-project", "anthropic-organization-id",
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
        switch verdict(for: name) {
        case .never: false
        case .unlessRewritten: !bodyIsRewritten
        case nil: true
        }
    }

    /// The headers of `headers` that may be passed to the app.
    ///
    /// Inlinable, so the caller's header list is iterated by code specialized for its type (an
    /// unspecialized `filter` looked up generic metadata for every answer).
    @inlinable
    public static func filter(
        _ headers: some Sequence<(name: String, value: String)>,
        bodyIsRewritten: Bool
    ) -> [(name: String, value: String)] {
        var kept: [(name: String, value: String)] = []
        kept.reserveCapacity(headers.underestimatedCount)
        for header in headers where forwards(header.name, bodyIsRewritten: bodyIsRewritten) {
            kept.append(header)
        }
        return kept
    }

    private enum Verdict { case never, unlessRewritten }

    /// The verdict on `name` in any case, compared byte by byte with the names of its length (no
    /// lower-cased copy, no hashing: every header of every answer comes through here).
    private static func verdict(for name: String) -> Verdict? {
        var name = name
        return name.withUTF8 { bytes -> Verdict? in
            guard bytes.count < verdictsByLength.count else { return nil }
            for (candidate, verdict) in verdictsByLength[bytes.count] where HeaderText.bytes(bytes, are: candidate) {
                return verdict
            }
            return nil
        }
    }

    /// The three lists above as one table, indexed by name length: the lower-cased names of that
    /// length and their verdicts.
    private static let verdictsByLength: [[([UInt8], Verdict)]] = {
        var entries: [([UInt8], Verdict)] = bodyFramingHeaders.map { (Array($0.utf8), .unlessRewritten) }
        entries += strippedHeaders.union(hopByHopHeaders).map { (Array($0.utf8), .never) }
        var table = [[([UInt8], Verdict)]](repeating: [], count: (entries.map(\.0.count).max() ?? 0) + 1)
        for entry in entries { table[entry.0.count].append(entry) }
        return table
    }()
}
