public import Hummingbird
public import NIOCore

/// A request's context: the basics, and the connection's peer (for client addresses).
public struct VaultContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (a proxy's address when behind one).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
