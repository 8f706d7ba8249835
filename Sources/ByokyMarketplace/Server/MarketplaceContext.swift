public import Hummingbird
public import NIOCore

/// A request's context: the basics, and the client's address for the rate limits.
public struct MarketplaceContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer of the connection (a proxy's address when behind one).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
