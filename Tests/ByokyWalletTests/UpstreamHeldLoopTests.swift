import ByokyCore
import ByokyTesting
import ByokyWallet
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The silence limit counts the provider's silence, not the client's: a provider that goes on
/// sending while a long task holds the client's event loop up is not cut off when the loop
/// comes back (its timers run before it reads the sockets that filled meanwhile). The client,
/// the provider and the hold each have a loop of their own, so no other test is held.
@Suite(.timeLimit(.minutes(1)))
struct UpstreamHeldLoopTests {
    /// Answers a request with a chunked body: a chunk at once, then one every `interval`,
    /// `count` in all, then the end (unless it `goesSilent`: then nothing more). It runs on a
    /// loop of its own, which the test never holds.
    final class TrickleProvider: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let interval: TimeAmount
        let count: Int
        let goesSilent: Bool
        private var received = ""

        init(interval: TimeAmount, count: Int, goesSilent: Bool) {
            self.interval = interval
            self.count = count
            self.goesSilent = goesSilent
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += String(buffer: unwrapInboundIn(data))
            // The requests here carry no body: a head's end ends one.
            guard received.contains("\r\n\r\n") else { return }
            received = ""
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n"
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: head)), promise: nil)
            send(remaining: count - 1, context: context)
        }

        private func send(remaining: Int, context: ChannelHandlerContext) {
            context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
                guard remaining > 0 else {
                    if self.goesSilent { return }
                    context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: "0\r\n\r\n")), promise: nil)
                    return
                }
                context.writeAndFlush(self.wrapOutboundOut(ByteBuffer(string: "1\r\na\r\n")), promise: nil)
                self.send(remaining: remaining - 1, context: context)
            }
        }
    }

    /// Reads a trickled answer while the client's loop is held, more than twice the client's
    /// silence limit, once its first chunk has come: the text read, or the error.
    static func readWhileTheLoopIsHeld(chunks: Int, goesSilent: Bool) async throws -> String {
        let providerLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = try await ServerBootstrap(group: providerLoop)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        TrickleProvider(interval: .milliseconds(40), count: chunks, goesSilent: goesSilent)
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        var configuration = UpstreamClient.Configuration()
        configuration.readIdleTimeout = .milliseconds(500)
        let clientLoop = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        configuration.eventLoopGroup = clientLoop
        let client = UpstreamClient(configuration: configuration)
        let text: Result<String, any Error>
        do {
            text = .success(try await Self.read(from: port, with: client, holding: clientLoop))
        } catch {
            text = .failure(error)
        }
        try await client.shutdown()
        try await server.close()
        try await providerLoop.shutdownGracefully()
        try await clientLoop.shutdownGracefully()
        return try text.get()
    }

    private static func read(
        from port: Int,
        with client: UpstreamClient,
        holding loop: MultiThreadedEventLoopGroup
    ) async throws -> String {
        let response = try await client.execute(
            method: "GET",
            url: try #require(AbsoluteURL("http://127.0.0.1:\(port)/stream")),
            headers: [],
            body: nil,
            headTimeout: .seconds(10)
        )
        var text = ""
        var isHeld = false
        for try await chunk in response.body {
            text += String(buffer: chunk)
            guard !isHeld else { continue }
            isHeld = true
            // The provider's 40 ms chunks pile up in the socket meanwhile.
            loop.next().execute { _ = usleep(1_200_000) }
        }
        return text
    }

    @Test func aProviderThatKeptSendingWhileItsLoopWasHeldIsNotCutOff() async throws {
        #expect(
            try await Self.readWhileTheLoopIsHeld(chunks: 50, goesSilent: false) == String(repeating: "a", count: 50)
        )
    }

    /// The look again after a hold still finds a provider that really went silent.
    @Test func aProviderSilentThroughAHoldIsCutOff() async throws {
        await #expect(throws: UpstreamError.idleTimeout) {
            _ = try await Self.readWhileTheLoopIsHeld(chunks: 1, goesSilent: true)
        }
    }
}
