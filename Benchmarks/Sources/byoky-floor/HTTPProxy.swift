import NIOCore
import NIOHTTP1
import NIOPosix

// `byoky-floor http`: requests decoded, the `/anthropic` prefix cut and the key header swapped,
// sent on one upstream connection per client connection on the same event loop, answers decoded
// and encoded again: what a proxy built the usual NIO way costs a request before any wallet logic
// (no errors, no limits, no streaming back-pressure).

/// Passes the upstream's answer parts to the client.
final class AnswerToClient: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    let client: ChannelHandlerContext

    init(client: ChannelHandlerContext) { self.client = client }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            var answer = HTTPResponseHead(version: .http1_1, status: head.status, headers: head.headers)
            answer.headers.remove(name: "connection")
            client.write(NIOAny(HTTPServerResponsePart.head(answer)), promise: nil)
        case .body(let bytes):
            client.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(bytes))), promise: nil)
        case .end(let trailers):
            client.writeAndFlush(NIOAny(HTTPServerResponsePart.end(trailers)), promise: nil)
        }
    }
}

/// Collects a request and sends it upstream with the key swapped.
final class RequestToUpstream: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    let upstreamPort: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var upstream: (any Channel)?

    init(upstreamPort: Int) { self.upstreamPort = upstreamPort }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let received):
            head = received
            body = nil
        case .body(var chunk):
            if body == nil { body = chunk } else { body!.writeBuffer(&chunk) }
        case .end:
            guard var head else { return }
            head.headers.replaceOrAdd(name: "x-api-key", value: "sk-bench-upstream")
            head.headers.replaceOrAdd(name: "host", value: "127.0.0.1:\(upstreamPort)")
            if head.uri.hasPrefix("/anthropic/") { head.uri.removeFirst("/anthropic".count) }
            let body = self.body
            let send: (any Channel) -> Void = { channel in
                channel.write(HTTPClientRequestPart.head(head), promise: nil)
                if let body { channel.write(HTTPClientRequestPart.body(.byteBuffer(body)), promise: nil) }
                channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
            }
            if let upstream {
                send(upstream)
                return
            }
            let client = context
            ClientBootstrap(group: context.eventLoop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(AnswerToClient(client: client))
                    }
                }
                .connect(host: "127.0.0.1", port: upstreamPort)
                .assumeIsolated()
                .whenSuccess { channel in
                    self.upstream = channel
                    send(channel)
                }
        }
    }

    func channelInactive(context: ChannelHandlerContext) { upstream?.close(promise: nil) }
}
