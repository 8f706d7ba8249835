import ByokyCore

/// The relay's limits, with the original relay's values as defaults.
public struct RelayLimits: Sendable {
    /// The largest frame accepted (20 MB).
    public var maximumFrameSize = 20 * 1024 * 1024
    /// The most a connection may have waiting to be written to its client when another frame
    /// is sent to it (two of the largest frames, 40 MB): past it the client is not reading, and
    /// the connection is closed rather than the relay's memory spent on it.
    public var maximumUnreadOutput = 40 * 1024 * 1024
    /// Live senders per room.
    public var sendersPerRoom = 4
    /// Recipients per room.
    public var recipientsPerRoom = 50
    /// Authentication attempts per room and role per ``authWindow``.
    public var authAttempts = 10
    public var authWindow: Duration = .seconds(60)
    /// A room with no frame from anyone for this long is closed.
    public var idleTimeout: Duration = .seconds(300)
    /// How often idle rooms are looked for.
    public var sweepInterval: Duration = .seconds(60)
    /// How long a connection that is not (yet) a WebSocket may go without sending a byte before
    /// it is closed: a client that opens connections and sends nothing cannot hold them, and the
    /// relay's file descriptors, forever. A WebSocket answers pings instead.
    public var clientIdleTimeout = ServerLimits.clientIdleTimeout
    /// The most connections held at once; `nil` for
    /// ``ServerLimits/maximumConnections(openFileLimit:)``, half the limit on open files.
    public var maximumConnections: Int?

    public init() {}
}
