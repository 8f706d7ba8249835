/// Limits every byoky server shares.
public enum ServerLimits {
    /// How long a connection may wait on its client with nothing arriving before it is closed (a
    /// minute, about what reverse proxies give a keep-alive connection and a slow request head).
    public static let clientIdleTimeout: Duration = .seconds(60)

    /// How long a request waits on a provider's silence (for its answer's head, or the next bytes
    /// of its body) before giving up, on every path: the bridge, a gift, a pairing, a backend
    /// relay, the vault. Ten minutes, the official SDKs' own default (Anthropic's, OpenAI's): a
    /// long generation that is not streamed, or a model that thinks before its first word, works
    /// through the wallet whenever it works straight against the provider.
    public static let providerSilence: Duration = .seconds(600)

    /// The most connections a server holds at once, given the process's limit on open files
    /// (``OpenFileLimit/raiseToHardLimit()``; `nil` when unknown): half of it, at least 64, so the
    /// other half stays free for what answering needs (a provider connection for each request,
    /// the database, the log). Past it a server accepts no one until a connection closes; without
    /// it, clients that open connections until the process runs out of descriptors leave it
    /// unable to open a provider connection or its database, for anyone.
    public static func maximumConnections(openFileLimit: Int?) -> Int {
        guard let openFileLimit else { return 1 << 20 }
        return max(64, openFileLimit / 2)
    }

    /// ``maximumConnections(openFileLimit:)`` for this process, once its soft limit on open files
    /// is raised to the hard limit (``OpenFileLimit/raiseToHardLimit()``): a low soft limit is
    /// one client away from full.
    public static func maximumConnectionsRaisingOpenFileLimit() -> Int {
        maximumConnections(openFileLimit: OpenFileLimit.raiseToHardLimit())
    }
}
