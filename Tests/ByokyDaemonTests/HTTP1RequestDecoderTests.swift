import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import ByokyProxyHTTP

/// The bridge's request decoder on a channel: what it passes on, in order, and how a connection
/// whose bytes are not HTTP/1.1, or that ends inside a request, is told so once.
struct HTTP1RequestDecoderTests {
    /// Records what reaches the handler after the decoder.
    final class Recorder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        var seen: [String] = []

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head): seen.append("head \(head.method.rawValue) \(head.uri)")
            case .body(let bytes): seen.append("body \(String(buffer: bytes))")
            case .end: seen.append("end")
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            seen.append("error \(error)")
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if let event = event as? ChannelEvent, event == .inputClosed { seen.append("input closed") }
        }
    }

    static func channel() throws -> (EmbeddedChannel, Recorder) {
        let recorder = Recorder()
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTP1RequestDecoder())
        try channel.pipeline.syncOperations.addHandler(recorder)
        return (channel, recorder)
    }

    @Test func requestsInOneReadArePassedOnInOrder() throws {
        let (channel, recorder) = try Self.channel()
        try channel.writeInbound(
            ByteBuffer(string: "POST /a HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET /b HTTP/1.1\r\n\r\nGET /c HT")
        )
        #expect(recorder.seen == ["head POST /a", "body {}", "end", "head GET /b", "end"])
        try channel.writeInbound(ByteBuffer(string: "TP/1.1\r\n\r\n"))
        #expect(recorder.seen.suffix(2) == ["head GET /c", "end"])
        _ = try channel.finish()
        #expect(!recorder.seen.contains { $0.hasPrefix("error") })
    }

    @Test func badBytesAreReportedOnceAndWhatFollowsIsDropped() throws {
        let (channel, recorder) = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nX : y\r\n\r\n"))
        try channel.writeInbound(ByteBuffer(string: "GET /c HTTP/1.1\r\n\r\n"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(recorder.seen == ["head GET /a", "end", "error \(HTTPParserError.invalidHeaderToken)", "input closed"])
        _ = try channel.finish()
        #expect(recorder.seen.count == 4)
    }

    @Test(arguments: ["GET /a HT", "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nab"])
    func anInputThatEndsInsideARequestIsAnError(bytes: String) throws {
        let (channel, recorder) = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: bytes))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        _ = try channel.finish()
        #expect(recorder.seen.suffix(2) == ["error \(HTTPParserError.invalidEOFState)", "input closed"])
        #expect(recorder.seen.filter { $0.hasPrefix("error") }.count == 1)
    }

    @Test func aRequestThatClosesTheConnectionEndsTheInputOnce() throws {
        let (channel, recorder) = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.1\r\n\r\n"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        _ = try channel.finish()
        #expect(recorder.seen == ["head GET /a", "end", "input closed"])
    }

    @Test func anInputThatEndsBetweenRequestsIsNot() throws {
        let (channel, recorder) = try Self.channel()
        try channel.writeInbound(ByteBuffer(string: "GET /a HTTP/1.1\r\n\r\n"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        _ = try channel.finish()
        #expect(recorder.seen == ["head GET /a", "end", "input closed"])
    }
}
