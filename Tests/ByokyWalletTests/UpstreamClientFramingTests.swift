import ByokyCore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// The client's own request bytes against NIO's strict HTTP/1.1 server: a `HEAD` answer has no
/// body even when it announces a length, and the connection stays usable after it; the `host`
/// header of an IPv6 provider is bracketed.
@Suite(.timeLimit(.minutes(1)))
struct UpstreamClientFramingTests {
    /// What the server saw of one request.
    struct Seen: Sendable, Equatable {
        let connection: Int
        let method: String
        let uri: String
        let host: String?
        let contentLength: String?
        let bodyBytes: Int
    }

    /// Answers every request with `hello` (a `HEAD` gets the same head, without the body, which
    /// NIO's server encoder leaves out), and records it.
    final class Answerer: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let connection: Int
        let seen: Locked<[Seen]>
        private var head: HTTPRequestHead?
        private var bodyBytes = 0

        init(connection: Int, seen: Locked<[Seen]>) {
            self.connection = connection
            self.seen = seen
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                bodyBytes = 0
            case .body(let chunk):
                bodyBytes += chunk.readableBytes
            case .end:
                guard let head else { return }
                seen.withLock {
                    $0.append(
                        Seen(
                            connection: connection,
                            method: head.method.rawValue,
                            uri: head.uri,
                            host: head.headers.first(name: "host"),
                            contentLength: head.headers.first(name: "content-length"),
                            bodyBytes: bodyBytes
                        )
                    )
                }
                let headers: HTTPHeaders = ["content-length": "5", "content-type": "text/plain"]
                context.write(
                    wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                    promise: nil
                )
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "hello")))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    static func withServer(
        host: String,
        _ body: (Int, Locked<[Seen]>) async throws -> Void
    ) async throws {
        let seen = Locked<[Seen]>([])
        let connections = Locked(0)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                let number = connections.withLock { count in
                    count += 1
                    return count
                }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Answerer(connection: number, seen: seen))
                }
            }
            .bind(host: host, port: 0).get()
        do {
            try await body(try #require(server.localAddress?.port), seen)
        } catch {
            try? await server.close()
            throw error
        }
        try await server.close()
    }

    static func send(
        _ method: String,
        _ url: AbsoluteURL,
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil,
        with client: UpstreamClient
    ) async throws -> UpstreamClient.Response {
        try await client.execute(method: method, url: url, headers: headers, body: body, headTimeout: .seconds(10))
    }

    static func read(_ response: UpstreamClient.Response) async throws -> String {
        var text = ""
        for try await chunk in response.body { text += String(buffer: chunk) }
        return text
    }

    @Test func aHeadAnswerHasNoBodyAndTheConnectionServesTheNextRequest() async throws {
        try await Self.withServer(host: "127.0.0.1") { port, seen in
            let client = UpstreamClient()
            let url = try #require(AbsoluteURL("http://127.0.0.1:\(port)/v1/models?page=2"))
            let head = try await Self.send("HEAD", url, with: client)
            #expect(head.status == 200)
            #expect(head.headers.first(name: "content-length") == "5")
            #expect(try await Self.read(head) == "")
            // The decoder knew the answer had no body: the same connection reads the next one right.
            let get = try await Self.send("GET", url, with: client)
            #expect(try await Self.read(get) == "hello")
            let json = ByteBuffer(string: #"{"a":1}"#)
            let post = try await Self.send(
                "POST",
                url,
                headers: [("content-type", "application/json")],
                body: json,
                with: client
            )
            #expect(try await Self.read(post) == "hello")
            let empty = try await Self.send("POST", url, with: client)
            #expect(try await Self.read(empty) == "hello")
            try await client.shutdown()
            let host = "127.0.0.1:\(port)"
            let requests = seen.withLock { $0 }
            // One connection served all four, each framed as sent.
            #expect(requests.map(\.connection) == [1, 1, 1, 1])
            #expect(requests.map(\.method) == ["HEAD", "GET", "POST", "POST"])
            #expect(requests.allSatisfy { $0.uri == "/v1/models?page=2" && $0.host == host })
            #expect(requests.map(\.contentLength) == [nil, nil, "7", "0"])
            #expect(requests.map(\.bodyBytes) == [0, 0, 7, 0])
        }
    }

    @Test func aLargeBodyArrivesWholeAfterItsHead() async throws {
        try await Self.withServer(host: "127.0.0.1") { port, seen in
            let client = UpstreamClient()
            let url = try #require(AbsoluteURL("http://127.0.0.1:\(port)/v1/messages"))
            let size = 100_003  // larger than a body the client copies into the head's buffer
            let body = ByteBuffer(repeating: UInt8(ascii: "x"), count: size)
            let response = try await Self.send("POST", url, body: body, with: client)
            #expect(try await Self.read(response) == "hello")
            try await client.shutdown()
            #expect(seen.withLock { $0.map(\.bodyBytes) } == [size])
        }
    }

    @Test func anIPv6ProviderGetsABracketedHost() async throws {
        try await Self.withServer(host: "::1") { port, seen in
            let client = UpstreamClient()
            let url = try #require(AbsoluteURL("http://[::1]:\(port)/v1/models"))
            let response = try await Self.send("GET", url, with: client)
            #expect(try await Self.read(response) == "hello")
            try await client.shutdown()
            #expect(seen.withLock { $0.map(\.host) } == ["[::1]:\(port)"])
        }
    }
}
