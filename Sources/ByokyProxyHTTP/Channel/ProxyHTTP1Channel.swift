import ByokyCore
public import HummingbirdCore
public import Logging
public import NIOCore
public import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 connection with a ``ProxyRoute`` answered on the channel: the request
/// decoder (``HTTP1RequestDecoder``), then ``ProxyRouteHandler`` (which also serializes every
/// answer), then the rest of `HTTP1Channel`'s pipeline (the conversion to `HTTPTypes`, the
/// connection-state handler that closes idle and quiescing connections) and the router's async
/// channel.
///
/// A proxied request then costs no more than the HTTP/1.1 codec, one task and the engine: not
/// the conversion of its head and answer, the async channel's streams, the router or its request
/// context.
public struct ProxyHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    public typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    public let responder: HTTPChannelHandler.Responder
    let route: ProxyRoute

    public init(responder: @escaping HTTPChannelHandler.Responder, route: ProxyRoute) {
        self.responder = responder
        self.route = route
    }

    /// A server builder for `Application(server:)`.
    public static func server(route: ProxyRoute) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in ProxyHTTP1Channel(responder: responder, route: route) }
    }

    public func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            // A client that stops reading an answer is closed as one that stops sending is.
            if let timeout = route.clientIdleTimeout {
                try channel.pipeline.syncOperations.addHandler(WriteStallHandler(timeout: timeout))
            }
            // The connection's own request decoder and, in ProxyRouteHandler (which sees every
            // request's method), its own response serialization, in place of NIO's codecs.
            try channel.pipeline.syncOperations.addHandler(HTTP1RequestDecoder())
            try channel.pipeline.syncOperations.addHandler(ProxyRouteHandler(route: route))
            try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: nil, logger: logger))
            return try NIOAsyncChannel(
                wrappingChannelSynchronously: channel,
                configuration: .init(isOutboundHalfClosureEnabled: true)
            )
        }
    }

    public func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
