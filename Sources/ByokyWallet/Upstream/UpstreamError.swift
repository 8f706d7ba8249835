/// Why an upstream call failed, before the proxy turns it into an error in the app's format.
public enum UpstreamError: Error, Sendable, Hashable {
    /// No connection could be made (refused, unreachable, TLS failed, connect timeout).
    case connectFailed
    /// The provider sent no response head in time.
    case headTimeout
    /// The provider went silent in the middle of the answer for longer than the idle limit.
    case idleTimeout
    /// The connection closed before the answer ended.
    case connectionClosed
    /// The client was shut down.
    case shutDown
    /// A header name is not an HTTP token, or a value holds CR, LF or NUL: nothing was sent.
    case invalidHeader
}
