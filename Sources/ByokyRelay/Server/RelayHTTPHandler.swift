import NIOCore
import NIOHTTP1

/// Answers the plain HTTP requests the relay serves next to its WebSocket upgrades:
/// `GET /health` (JSON) and `GET /metrics` (Prometheus text); anything else gets 404.
final class RelayHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let hub: RelayHub
    private var path: String?

    init(hub: RelayHub) {
        self.hub = hub
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.method == .GET ? String(head.uri.prefix { $0 != "?" }) : nil
        case .body:
            return
        case .end:
            let (status, type, body): (HTTPResponseStatus, String, String)
            switch path {
            case "/health":
                (status, type, body) = (.ok, "application/json", #"{"status":"ok","rooms":\#(hub.roomCount)}"#)
            case "/metrics":
                let counts = hub.snapshot()
                (status, type, body) = (
                    .ok, "text/plain; version=0.0.4",
                    hub.metrics.render(rooms: counts.rooms, senders: counts.senders, recipients: counts.recipients)
                )
            default:
                (status, type, body) = (
                    .notFound, "text/plain", "byoky relay: connect with a WebSocket, or GET /health or /metrics\n"
                )
            }
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: type)
            headers.add(name: "content-length", value: String(body.utf8.count))
            headers.add(name: "connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
                promise: nil
            )
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))),
                promise: nil
            )
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            path = nil
        }
    }
}
