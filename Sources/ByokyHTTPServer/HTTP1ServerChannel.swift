public import ByokyCore
public import HummingbirdCore
public import NIOCore

extension HTTPServerBuilder {
    /// Hummingbird's HTTP/1.1 channel answering `Expect: 100-continue` (``ContinueHandler``) and
    /// closing a connection that waits on its client for `clientIdleTimeout`
    /// (``ServerLimits/clientIdleTimeout`` by default) with no request part arriving: idle between
    /// requests, or a head or body that stalls. Without it a client that opens connections and
    /// sends nothing, or a head a byte at a time, holds them and the server's file descriptors
    /// forever. An answer being written, however long (an event
    /// stream), is never cut for it, unless the client stops reading it for as long
    /// (``WriteStallHandler``).
    public static func byokyHTTP1(
        clientIdleTimeout: TimeAmount = TimeAmount(ServerLimits.clientIdleTimeout)
    ) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in byokyHTTP1Channel(responder: responder, clientIdleTimeout: clientIdleTimeout) }
    }

    /// A connection's channel for ``byokyHTTP1(clientIdleTimeout:)``.
    package static func byokyHTTP1Channel(
        responder: @escaping HTTPChannelHandler.Responder,
        clientIdleTimeout: TimeAmount
    ) -> WriteStallGuardedChannel<HTTP1Channel> {
        WriteStallGuardedChannel(
            // The connection's idle timeout is ClientIdleHandler's, not Hummingbird's (which
            // takes a request waiting in the socket of a held-up loop for silence).
            HTTP1Channel(
                responder: responder,
                configuration: .init(additionalChannelHandlers: [
                    ContinueHandler(), ClientIdleHandler(timeout: clientIdleTimeout),
                ])
            ),
            timeout: clientIdleTimeout
        )
    }
}
