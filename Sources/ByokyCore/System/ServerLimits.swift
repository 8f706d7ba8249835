/// Limits every byoky server shares.
public enum ServerLimits {
    /// How long a connection may wait on its client with nothing arriving before it is closed (a
    /// minute, about what reverse proxies give a keep-alive connection and a slow request head).
    public static let clientIdleTimeout: Duration = .seconds(60)
}
